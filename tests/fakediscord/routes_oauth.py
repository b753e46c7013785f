"""Discord's OAuth2 routes: the consent page, the token endpoint and the signed-in user.

Refusals answer as Discord does: the consent page as an HTML page, the token endpoint as
`{"error": ..., "error_description": ...}` (400, or 401 for a wrong client), `/users/@me` as
`{"message": "401: Unauthorized", "code": 0}`. Each is recorded in ``fake.errors`` and
``fake.oauth.refusals``; a site's broken consent request (unknown client, unregistered redirect
URI, no state, no PKCE) is also a violation.
"""

from __future__ import annotations

import base64
import binascii
from html import escape
from urllib.parse import urlencode

from aiohttp import web

from .app_context import fake_of, json_response
from .oauth import AuthorizeRequest, OAuthRefused

AUTHORIZE = "/oauth2/authorize"
_CONSENT_FIELDS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)


def add_oauth_routes(app: web.Application) -> None:
    """Register the consent page, the token endpoint and the OAuth2 `users/@me`."""
    app.router.add_get(AUTHORIZE, consent_page)
    app.router.add_post(AUTHORIZE, consent_answer)
    app.router.add_post("/api/oauth2/token", token)
    app.router.add_get("/api/users/@me", current_user)
    app.router.add_get("/favicon.ico", favicon)


async def favicon(request: web.Request) -> web.Response:
    """``GET /favicon.ico``, which a browser on the consent page asks for: no icon."""
    return web.Response(status=204)


def _refused(request: web.Request, refused: OAuthRefused, *, violation: bool = False) -> None:
    fake = fake_of(request)
    text = f"{request.method} {request.path}: {refused}"
    fake.errors.append(text)
    fake.oauth.refusals.append(str(refused))
    if violation:
        fake.report_violation(text)


def _page(title: str, body: str, status: int = 200) -> web.Response:
    html = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}</title>"
        f"</head><body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )
    return web.Response(text=html, status=status, content_type="text/html")


def _checked(request: web.Request, fields: dict[str, str]) -> AuthorizeRequest | web.Response:
    try:
        return fake_of(request).oauth.check_authorize(fields)
    except OAuthRefused as refused:
        _refused(request, refused, violation=True)
        return _page("Something went wrong", f"<p>{escape(refused.description)}</p>", 400)


def _back_to_site(request: AuthorizeRequest, **answer: str) -> web.Response:
    location = f"{request.redirect_uri}?{urlencode({**answer, 'state': request.state})}"
    return web.Response(status=302, headers={"Location": location})


async def consent_page(request: web.Request) -> web.StreamResponse:
    """``GET /oauth2/authorize``: "Authorize" and "Cancel" for the signed-in user."""
    fake = fake_of(request)
    checked = _checked(request, dict(request.query))
    if isinstance(checked, web.Response):
        return checked
    user = fake.oauth.signed_in
    if user is None:
        return _page("Log in to Discord", "<p>Nobody is signed in to this Discord.</p>")
    if fake.oauth.auto_approve:
        return _back_to_site(checked, code=fake.oauth.grant_code(checked, user))
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{escape(request.query.get(name, ""))}">'
        for name in _CONSENT_FIELDS
    )
    scopes = "".join(f"<li>{escape(scope)}</li>" for scope in checked.scopes)
    return _page(
        f"{fake.application.name} wants to access your account",
        f"<p>Signed in as <strong>{escape(user.username)}</strong>.</p><ul>{scopes}</ul>"
        f'<form method="post" action="{AUTHORIZE}">{hidden}'
        '<button type="submit" name="decision" value="cancel">Cancel</button> '
        '<button type="submit" name="decision" value="authorize">Authorize</button></form>',
    )


async def consent_answer(request: web.Request) -> web.StreamResponse:
    """``POST /oauth2/authorize``: back to the site with a code, or with `access_denied`."""
    fake = fake_of(request)
    form = {name: str(value) for name, value in (await request.post()).items()}
    checked = _checked(request, form)
    if isinstance(checked, web.Response):
        return checked
    user = fake.oauth.signed_in
    if user is None or form.get("decision") != "authorize":
        return _back_to_site(
            checked,
            error="access_denied",
            error_description="The resource owner or authorization server denied the request",
        )
    return _back_to_site(checked, code=fake.oauth.grant_code(checked, user))


def _client_credentials(request: web.Request, form: dict[str, str]) -> tuple[str, str]:
    """The client id and secret from HTTP Basic authentication, else from the form."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        client_id, _, secret = decoded.partition(":")
        return client_id, secret
    return form.get("client_id", ""), form.get("client_secret", "")


async def token(request: web.Request) -> web.Response:
    """``POST /api/oauth2/token``: an access token for an authorization code."""
    fake = fake_of(request)
    form = {name: str(value) for name, value in (await request.post()).items()}
    try:
        fake.oauth.authenticate_client(*_client_credentials(request, form))
        answer = fake.oauth.exchange(form)
    except OAuthRefused as refused:
        _refused(request, refused)
        body = {"error": refused.error, "error_description": refused.description}
        return json_response(body, status=refused.status)
    return json_response(answer)


async def current_user(request: web.Request) -> web.Response:
    """``GET /api/users/@me`` with a Bearer token: the user who authorized it."""
    fake = fake_of(request)
    header = request.headers.get("Authorization", "")
    user = fake.oauth.user_of(header[7:]) if header.startswith("Bearer ") else None
    if user is None:
        _refused(request, OAuthRefused("unauthorized", "missing, unknown or expired Bearer token"))
        return json_response({"message": "401: Unauthorized", "code": 0}, status=401)
    return json_response(user.payload())
