"""Signing in with Discord: OAuth2's authorization-code flow with `state` and PKCE (S256).

`begin_sign_in` makes the address of Discord's consent page and a signed, ten-minute,
single-use token holding the flow's `state`, its PKCE verifier and what the visitor wanted; the
site keeps the token in the visitor's session. `finish_sign_in` checks the `state` Discord sent
back against that token, spends it, exchanges the code (with the verifier) for an access token
and reads who signed in. Only the `identify` scope is asked for: the id and the username.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Any

import httpx
from httpx_oauth.exceptions import GetProfileError
from httpx_oauth.oauth2 import BaseOAuth2, GetAccessTokenError
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts.discord_link import DiscordIdentity
from core.accounts.tokens import Purpose, TokenRefused, issue_token, read_token, spend_token
from core.settings import Settings

logger = logging.getLogger(__name__)

SCOPES = ["identify"]


class SignInIntent(enum.StrEnum):
    """What a visitor started the flow for."""

    #: sign in (or create the account) as the Discord user
    SIGN_IN = "sign-in"
    #: add the Discord account to the site account signed in now
    LINK = "link"


class SignInProblem(enum.StrEnum):
    """Why signing in with Discord failed; each has a sentence for the visitor."""

    STALE = "stale"
    MISMATCH = "mismatch"
    REPLAYED = "replayed"
    DENIED = "denied"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"


_EXPLANATIONS = {
    SignInProblem.STALE: (
        "This sign-in with Discord expired or was started in another browser. Start again."
    ),
    SignInProblem.MISMATCH: (
        "This answer from Discord does not belong to the sign-in started in this browser, so "
        "it was ignored. Start again."
    ),
    SignInProblem.REPLAYED: "This sign-in with Discord was already used. Start again.",
    SignInProblem.DENIED: "You did not authorize codestreak on Discord, so nothing changed.",
    SignInProblem.REFUSED: (
        "Discord refused to confirm who you are (the sign-in may have taken too long). Start again."
    ),
    SignInProblem.UNREACHABLE: (
        "Discord could not be reached to confirm who you are. Try again in a minute."
    ),
}


class SignInRefused(Exception):
    """Signing in with Discord failed; `problem` says why, the message says it to the visitor."""

    def __init__(self, problem: SignInProblem) -> None:
        super().__init__(_EXPLANATIONS[problem])
        self.problem = problem


@dataclass(frozen=True, slots=True)
class PendingSignIn:
    """What the visitor started the flow for, read back from its token."""

    intent: SignInIntent
    #: the site account to add Discord to (`LINK` only)
    account_id: int | None
    #: where to go afterwards (a local path, checked by the site)
    next_path: str


@dataclass(frozen=True, slots=True)
class SignInStart:
    """Where to send the visitor, and the token the site keeps in their session meanwhile."""

    url: str
    token: str


class DiscordOAuth(BaseOAuth2[dict[str, Any]]):
    """httpx-oauth's client for Discord at a configurable address (Discord's, or a fake)."""

    display_name = "Discord"

    def __init__(self, settings: Settings) -> None:
        base = settings.discord_oauth_url.rstrip("/")
        secret = settings.discord_client_secret
        super().__init__(
            settings.discord_client_id or "",
            secret.get_secret_value() if secret else "",
            f"{base}/oauth2/authorize",
            f"{base}/api/oauth2/token",
            name="discord",
            base_scopes=SCOPES,
            token_endpoint_auth_method="client_secret_basic",
        )
        self.profile_endpoint = f"{base}/api/users/@me"

    async def get_profile(self, token: str) -> dict[str, Any]:
        """The signed-in user as `GET /users/@me` describes them."""
        async with self.get_httpx_client() as client:
            try:
                response = await client.get(
                    self.profile_endpoint,
                    headers={**self.request_headers, "Authorization": f"Bearer {token}"},
                )
            except httpx.HTTPError as error:
                raise GetProfileError(str(error)) from error
        if response.status_code >= 400:
            raise GetProfileError(response=response)
        try:
            profile = response.json()
        except ValueError as error:
            raise GetProfileError(response=response) from error
        if not isinstance(profile, dict):
            raise GetProfileError(response=response)
        return profile


def code_challenge(verifier: str) -> str:
    """PKCE's S256 code challenge of `verifier`."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


async def begin_sign_in(
    settings: Settings, intent: SignInIntent, next_path: str, account_id: int | None = None
) -> SignInStart:
    """Discord's consent page for a new flow, and the token that remembers it for ten minutes."""
    state = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)
    token = issue_token(
        settings.secret_key.get_secret_value(),
        Purpose.DISCORD_SIGN_IN,
        {
            "state": state,
            "verifier": verifier,
            "intent": intent.value,
            "uid": account_id,
            "next": next_path,
        },
    )
    url = await DiscordOAuth(settings).get_authorization_url(
        settings.discord_redirect_url or "",
        state=state,
        code_challenge=code_challenge(verifier),
        code_challenge_method="S256",
    )
    return SignInStart(url, token)


def _pending(payload: dict[str, Any]) -> PendingSignIn:
    try:
        intent = SignInIntent(payload["intent"])
        account_id = payload["uid"]
        next_path = str(payload["next"])
    except (KeyError, ValueError) as error:
        raise SignInRefused(SignInProblem.STALE) from error
    if account_id is not None and not isinstance(account_id, int):
        raise SignInRefused(SignInProblem.STALE)
    return PendingSignIn(intent, account_id, next_path)


async def _check_state(
    session: AsyncSession, settings: Settings, token: str | None, state: str
) -> dict[str, Any]:
    """The flow's payload once `state` matches it; spends it, so that it serves once."""
    if not token:
        raise SignInRefused(SignInProblem.STALE)
    try:
        payload = read_token(settings.secret_key.get_secret_value(), Purpose.DISCORD_SIGN_IN, token)
    except TokenRefused as refused:
        raise SignInRefused(SignInProblem.STALE) from refused
    expected = str(payload.get("state", ""))
    if not expected or not hmac.compare_digest(expected.encode(), state.encode()):
        raise SignInRefused(SignInProblem.MISMATCH)
    try:
        await spend_token(session, Purpose.DISCORD_SIGN_IN, payload)
    except TokenRefused as refused:
        raise SignInRefused(SignInProblem.REPLAYED) from refused
    return payload


def _identity(profile: dict[str, Any]) -> DiscordIdentity:
    try:
        return DiscordIdentity(int(str(profile["id"])), str(profile["username"])[:100])
    except (KeyError, ValueError) as error:
        raise SignInRefused(SignInProblem.REFUSED) from error


async def _who_signed_in(settings: Settings, code: str, verifier: str) -> DiscordIdentity:
    client = DiscordOAuth(settings)
    try:
        token = await client.get_access_token(code, settings.discord_redirect_url or "", verifier)
        profile = await client.get_profile(str(token["access_token"]))
    except (GetAccessTokenError, GetProfileError) as error:
        response = error.response
        answer = (
            "no answer" if response is None else f"{response.status_code} {response.text[:200]}"
        )
        logger.warning("Discord did not confirm a sign-in: %s (%s)", error.message, answer)
        if response is None or response.status_code >= 500:
            raise SignInRefused(SignInProblem.UNREACHABLE) from error
        raise SignInRefused(SignInProblem.REFUSED) from error
    except KeyError as error:
        logger.warning("Discord's token answer has no access_token")
        raise SignInRefused(SignInProblem.REFUSED) from error
    return _identity(profile)


async def finish_sign_in(
    session: AsyncSession,
    settings: Settings,
    token: str | None,
    state: str,
    code: str,
    error: str = "",
) -> tuple[PendingSignIn, DiscordIdentity]:
    """What the visitor started, and who Discord says they are; raises `SignInRefused`.

    `token` is the one `begin_sign_in` gave (None when this browser holds none); `state`,
    `code` and `error` are what Discord sent back. The token is spent in the caller's
    transaction, so a refusal (which rolls it back) leaves nothing written.
    """
    payload = await _check_state(session, settings, token, state)
    pending = _pending(payload)
    if error or not code:
        raise SignInRefused(SignInProblem.DENIED)
    identity = await _who_signed_in(settings, code, str(payload.get("verifier", "")))
    return pending, identity
