"""The fake's OAuth2 provider: consent page, code exchange with PKCE, and `users/@me`."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.fakediscord import FakeDiscord, FakeUser
from tests.fakediscord.oauth import CODE_LIFETIME_S, s256

REDIRECT = "http://site.test/auth/discord/callback"
VERIFIER = "v" * 50
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture
async def browser() -> AsyncIterator[httpx.AsyncClient]:
    """A client that does not follow redirects, to read where the fake sends the browser."""
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def ada(fake: FakeDiscord) -> FakeUser:
    """A Discord user signed in to the fake in the browser; the site's callback registered."""
    fake.oauth.redirect_uris.add(REDIRECT)
    fake.oauth.signed_in = fake.add_user("ada")
    return fake.oauth.signed_in


def consent_query(fake: FakeDiscord, **changes: str) -> dict[str, str]:
    """The parameters a site sends to the consent page, with `changes`."""
    query = {
        "client_id": fake.oauth.client_id,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "identify",
        "state": "the-state",
        "code_challenge": s256(VERIFIER),
        "code_challenge_method": "S256",
    }
    return {**query, **changes}


async def answer(
    browser: httpx.AsyncClient, fake: FakeDiscord, decision: str, **changes: str
) -> dict[str, list[str]]:
    """Open the consent page, press `decision`; the query the browser is sent back with."""
    page = await browser.get(
        f"{fake.base_url}/oauth2/authorize", params=consent_query(fake, **changes)
    )
    assert page.status_code == 200, page.text
    fields = {name: unescape(value) for name, value in HIDDEN.findall(page.text)}
    back = await browser.post(
        f"{fake.base_url}/oauth2/authorize", data={**fields, "decision": decision}
    )
    assert back.status_code == 302
    location = back.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return parse_qs(urlsplit(location).query)


async def exchange(
    browser: httpx.AsyncClient, fake: FakeDiscord, code: str, **changes: str
) -> httpx.Response:
    """The site's token request for `code` (client authenticated with HTTP Basic)."""
    secret = changes.pop("secret", fake.oauth.client_secret)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": VERIFIER,
        **changes,
    }
    return await browser.post(
        f"{fake.base_url}/api/oauth2/token",
        data=form,
        auth=(fake.oauth.client_id, secret),
    )


async def test_authorized_code_buys_one_token_that_names_the_user(
    fake: FakeDiscord, ada: FakeUser, browser: httpx.AsyncClient
) -> None:
    back = await answer(browser, fake, "authorize")
    assert back["state"] == ["the-state"]
    granted = await exchange(browser, fake, back["code"][0])
    assert granted.status_code == 200, granted.text
    body = granted.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "identify"
    me = await browser.get(
        f"{fake.base_url}/api/users/@me",
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert me.status_code == 200
    assert (me.json()["id"], me.json()["username"]) == (str(ada.id), "ada")
    again = await exchange(browser, fake, back["code"][0])
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")
    fake.assert_no_violations()


@pytest.mark.parametrize(
    ("changes", "description"),
    [
        ({"code_verifier": "w" * 50}, 'Invalid "code_verifier" in request.'),
        ({"code_verifier": ""}, 'Invalid "code_verifier" in request.'),
        ({"redirect_uri": "http://elsewhere.test/callback"}, 'Invalid "redirect_uri" in request.'),
    ],
)
async def test_a_wrong_verifier_or_redirect_uri_spends_the_code_for_nothing(
    fake: FakeDiscord,
    ada: FakeUser,
    browser: httpx.AsyncClient,
    changes: dict[str, str],
    description: str,
) -> None:
    code = (await answer(browser, fake, "authorize"))["code"][0]
    refused = await exchange(browser, fake, code, **changes)
    assert refused.status_code == 400
    assert refused.json() == {"error": "invalid_grant", "error_description": description}
    assert (await exchange(browser, fake, code)).json()["error"] == "invalid_grant"
    assert fake.oauth.refusals


async def test_a_wrong_client_secret_is_401_invalid_client(
    fake: FakeDiscord, ada: FakeUser, browser: httpx.AsyncClient
) -> None:
    code = (await answer(browser, fake, "authorize"))["code"][0]
    refused = await exchange(browser, fake, code, secret="not-the-secret")
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")


async def test_a_code_expires_after_ten_minutes(
    fake: FakeDiscord, ada: FakeUser, browser: httpx.AsyncClient
) -> None:
    code = (await answer(browser, fake, "authorize"))["code"][0]
    now = fake.oauth.clock()
    fake.oauth.clock = lambda: now + CODE_LIFETIME_S + 1
    refused = await exchange(browser, fake, code)
    assert refused.json() == {
        "error": "invalid_grant",
        "error_description": 'Invalid "code" in request.',
    }


async def test_cancel_sends_the_browser_back_with_access_denied_and_the_state(
    fake: FakeDiscord, ada: FakeUser, browser: httpx.AsyncClient
) -> None:
    back = await answer(browser, fake, "cancel")
    assert back["error"] == ["access_denied"]
    assert back["state"] == ["the-state"]
    assert "code" not in back


async def test_auto_approve_skips_the_page(
    fake: FakeDiscord, ada: FakeUser, browser: httpx.AsyncClient
) -> None:
    fake.oauth.auto_approve = True
    page = await browser.get(f"{fake.base_url}/oauth2/authorize", params=consent_query(fake))
    assert page.status_code == 302
    assert "code=" in page.headers["location"]


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"client_id": "1"}, "Unknown application"),
        ({"redirect_uri": "http://evil.test/callback"}, "Invalid OAuth2 redirect_uri"),
        ({"scope": "identify admin"}, "Invalid scope: admin"),
        ({"state": ""}, "state is required"),
        ({"code_challenge_method": "plain"}, "S256 code_challenge is required"),
        ({"code_challenge": ""}, "S256 code_challenge is required"),
    ],
)
async def test_a_broken_consent_request_is_an_error_page_and_a_violation(
    fake: FakeDiscord,
    ada: FakeUser,
    browser: httpx.AsyncClient,
    changes: dict[str, str],
    said: str,
) -> None:
    query = urlencode(consent_query(fake, **changes))
    page = await browser.get(f"{fake.base_url}/oauth2/authorize?{query}")
    assert page.status_code == 400
    assert said in unescape(page.text)
    assert fake.violations
    assert said in fake.violations[0]


@pytest.mark.parametrize("header", ["", "Bearer unknown", "Bot fake-bot-token"])
async def test_users_me_without_a_valid_bearer_token_is_401(
    fake: FakeDiscord, browser: httpx.AsyncClient, header: str
) -> None:
    me = await browser.get(
        f"{fake.base_url}/api/users/@me", headers={"Authorization": header} if header else {}
    )
    assert me.status_code == 401
    assert me.json() == {"message": "401: Unauthorized", "code": 0}
