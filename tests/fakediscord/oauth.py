"""The fake's OAuth2 provider: the application as an OAuth2 client, codes and access tokens.

Discord's authorization-code flow as a site meets it: the consent page (`/oauth2/authorize`)
answers with a one-use code bound to the redirect URI, the scopes and the PKCE challenge; the
token endpoint (`/api/oauth2/token`) exchanges it once, within ten minutes, for the client that
asked, with the matching verifier; `/api/users/@me` answers the access token's user. The
browser's Discord session is `signed_in`: the user who sees the consent page (none: a login
prompt). With `auto_approve` the page approves at once, as Discord does for an application the
user already authorized.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from .models import FakeUser

#: scopes Discord knows (a few; an unknown one is refused as Discord refuses it)
KNOWN_SCOPES = frozenset({"identify", "email", "guilds", "guilds.members.read", "connections"})
CODE_LIFETIME_S = 600.0
TOKEN_LIFETIME_S = 604_800


class OAuthRefused(Exception):
    """A refused OAuth2 request: the `error` code Discord sends and its description."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status


@dataclass
class AuthorizationCode:
    """A code the consent page gave: whose, for which redirect URI, scopes and PKCE challenge."""

    user_id: int
    redirect_uri: str
    scopes: tuple[str, ...]
    code_challenge: str
    expires_at: float
    used: bool = False


@dataclass(frozen=True)
class AccessGrant:
    """What an access token allows: whose account, which scopes, until when."""

    user_id: int
    scopes: tuple[str, ...]
    expires_at: float


@dataclass(frozen=True)
class AuthorizeRequest:
    """The parameters of a consent page, once checked."""

    redirect_uri: str
    scopes: tuple[str, ...]
    state: str
    code_challenge: str


def s256(verifier: str) -> str:
    """PKCE's S256 challenge of a verifier."""
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class FakeOAuth:
    """The OAuth2 side of the fake Discord; the client id is the application's id."""

    def __init__(self, client_id: int, users: dict[int, FakeUser]) -> None:
        self.client_id = str(client_id)
        self.client_secret = secrets.token_urlsafe(24)
        #: the redirect URIs registered for the application (Discord's developer portal)
        self.redirect_uris: set[str] = set()
        #: who is signed in to Discord in the browser; None: the consent page asks to log in
        self.signed_in: FakeUser | None = None
        #: approve the consent page without showing it
        self.auto_approve = False
        self.clock: Callable[[], float] = time.monotonic
        self.codes: dict[str, AuthorizationCode] = {}
        self.tokens: dict[str, AccessGrant] = {}
        #: every refused OAuth2 request, `error: description`
        self.refusals: list[str] = []
        self._users = users

    def check_authorize(self, query: dict[str, str]) -> AuthorizeRequest:
        """The consent page's parameters, or `OAuthRefused` as Discord's page shows it.

        Besides Discord's own checks, the fake insists on `state` and an S256 PKCE challenge:
        a site that leaves them out is open to forged and intercepted answers.
        """
        if query.get("client_id") != self.client_id:
            raise OAuthRefused("invalid_client", "Unknown application")
        redirect_uri = query.get("redirect_uri", "")
        if redirect_uri not in self.redirect_uris:
            raise OAuthRefused("invalid_request", "Invalid OAuth2 redirect_uri")
        if query.get("response_type") != "code":
            raise OAuthRefused("unsupported_response_type", "Invalid response_type")
        scopes = tuple(query.get("scope", "").split())
        unknown = [scope for scope in scopes if scope not in KNOWN_SCOPES]
        if not scopes or unknown:
            raise OAuthRefused("invalid_scope", f"Invalid scope: {' '.join(unknown) or '(none)'}")
        state = query.get("state", "")
        if not state:
            raise OAuthRefused("invalid_request", "state is required (the fake insists on it)")
        challenge = query.get("code_challenge", "")
        if query.get("code_challenge_method") != "S256" or not 43 <= len(challenge) <= 128:
            raise OAuthRefused(
                "invalid_request", "an S256 code_challenge is required (the fake insists on it)"
            )
        return AuthorizeRequest(redirect_uri, scopes, state, challenge)

    def grant_code(self, request: AuthorizeRequest, user: FakeUser) -> str:
        """A fresh one-use code for `user`'s consent to `request`."""
        code = secrets.token_urlsafe(24)
        self.codes[code] = AuthorizationCode(
            user.id,
            request.redirect_uri,
            request.scopes,
            request.code_challenge,
            self.clock() + CODE_LIFETIME_S,
        )
        return code

    def authenticate_client(self, client_id: str, client_secret: str) -> None:
        """Refuse a token request that does not come from the application (401)."""
        if client_id != self.client_id or not secrets.compare_digest(
            client_secret, self.client_secret
        ):
            raise OAuthRefused("invalid_client", "Invalid client_id or client_secret", 401)

    def exchange(self, form: dict[str, str]) -> dict[str, object]:
        """The token answer for an authorization code; `OAuthRefused` as Discord refuses it.

        A code is spent by the first exchange that names it, right or wrong.
        """
        if form.get("grant_type") != "authorization_code":
            raise OAuthRefused("unsupported_grant_type", "Unsupported grant type")
        grant = self.codes.get(form.get("code", ""))
        if grant is None or grant.used or grant.expires_at < self.clock():
            raise OAuthRefused("invalid_grant", 'Invalid "code" in request.')
        grant.used = True
        if form.get("redirect_uri") != grant.redirect_uri:
            raise OAuthRefused("invalid_grant", 'Invalid "redirect_uri" in request.')
        if s256(form.get("code_verifier", "")) != grant.code_challenge:
            raise OAuthRefused("invalid_grant", 'Invalid "code_verifier" in request.')
        token = secrets.token_urlsafe(30)
        self.tokens[token] = AccessGrant(
            grant.user_id, grant.scopes, self.clock() + TOKEN_LIFETIME_S
        )
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME_S,
            "refresh_token": secrets.token_urlsafe(30),
            "scope": " ".join(grant.scopes),
        }

    def user_of(self, token: str) -> FakeUser | None:
        """The user an unexpired access token with the `identify` scope speaks for."""
        grant = self.tokens.get(token)
        if grant is None or grant.expires_at < self.clock() or "identify" not in grant.scopes:
            return None
        return self._users.get(grant.user_id)
