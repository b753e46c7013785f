"""The sign-in flow's own checks: the PKCE challenge, the state and its single use."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts.discord_oauth import (
    SignInIntent,
    SignInProblem,
    SignInRefused,
    begin_sign_in,
    code_challenge,
    finish_sign_in,
)
from core.accounts.tokens import Purpose, read_token
from core.settings import Settings

SECRET = "test-secret-that-is-long-enough-for-production-0123456789"


@pytest.fixture
def settings() -> Settings:
    """Sign-in settings for an unreachable Discord: these tests never get as far as asking it."""
    return Settings(
        secret_key=SECRET,
        discord_client_id="1234",
        discord_client_secret="shh",
        discord_redirect_url="https://codestreak.example/auth/discord/callback",
        discord_oauth_url="http://127.0.0.1:9",
    )


def test_the_challenge_is_rfc_7636s_s256() -> None:
    # RFC 7636, appendix B
    assert (
        code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


async def test_the_consent_address_carries_state_and_the_verifiers_challenge(
    settings: Settings,
) -> None:
    start = await begin_sign_in(settings, SignInIntent.LINK, "/account", account_id=7)
    url = urlsplit(start.url)
    assert f"{url.scheme}://{url.netloc}{url.path}" == "http://127.0.0.1:9/oauth2/authorize"
    query = {name: values[0] for name, values in parse_qs(url.query).items()}
    payload = read_token(SECRET, Purpose.DISCORD_SIGN_IN, start.token)
    assert query["state"] == payload["state"]
    assert query["code_challenge"] == code_challenge(payload["verifier"])
    assert query["code_challenge_method"] == "S256"
    assert query["scope"] == "identify"
    assert query["client_id"] == "1234"
    assert query["redirect_uri"] == "https://codestreak.example/auth/discord/callback"
    assert (payload["intent"], payload["uid"], payload["next"]) == ("link", 7, "/account")


@pytest.mark.parametrize(
    ("token", "state", "problem"),
    [
        (None, "any", SignInProblem.STALE),
        ("not-a-token", "any", SignInProblem.STALE),
        ("", "", SignInProblem.STALE),
        ("ours", "not-the-state", SignInProblem.MISMATCH),
        ("ours", "", SignInProblem.MISMATCH),
    ],
)
async def test_an_answer_that_is_not_this_flows_is_refused(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    token: str | None,
    state: str,
    problem: SignInProblem,
) -> None:
    start = await begin_sign_in(settings, SignInIntent.SIGN_IN, "")
    async with sessions() as session:
        with pytest.raises(SignInRefused) as refused:
            await finish_sign_in(
                session, settings, start.token if token == "ours" else token, state, "code"
            )
    assert refused.value.problem is problem


async def test_a_flow_serves_one_answer_even_a_denial(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    start = await begin_sign_in(settings, SignInIntent.SIGN_IN, "")
    state = read_token(SECRET, Purpose.DISCORD_SIGN_IN, start.token)["state"]
    async with sessions() as session:
        with pytest.raises(SignInRefused) as denied:
            await finish_sign_in(session, settings, start.token, state, "", "access_denied")
        assert denied.value.problem is SignInProblem.DENIED
        await session.commit()
    async with sessions() as session:
        with pytest.raises(SignInRefused) as replayed:
            await finish_sign_in(session, settings, start.token, state, "code")
    assert replayed.value.problem is SignInProblem.REPLAYED
