"""CSRF protection for every form, with fastapi-csrf-protect.

The library keeps its configuration on the class, so each app gets its own subclass: two apps in
one process (as in the tests) never share a secret. A page's token pair is kept in the session and
reused for a few hours, so that several open tabs all keep working; a token is accepted only in
the session it was issued to, so a pair taken from another browser is refused.
"""

from __future__ import annotations

import hmac
import time

from fastapi import Request
from fastapi_csrf_protect import CsrfProtect
from fastapi_csrf_protect.exceptions import TokenValidationError

from core.settings import Settings

FIELD = "csrf_token"
COOKIE = "codestreak_csrf"
MAX_AGE_S = 12 * 3600
RENEW_AFTER_S = 6 * 3600
_SESSION_KEY = "csrf"


def csrf_class(settings: Settings) -> type[CsrfProtect]:
    """A CsrfProtect subclass configured for one app: tokens in form bodies, strict cookies."""
    protect: type[CsrfProtect] = type("SiteCsrfProtect", (CsrfProtect,), {})
    secure = settings.site_url.startswith("https://")
    protect.load_config(
        lambda: [
            ("secret_key", settings.secret_key.get_secret_value()),
            ("token_location", "body"),
            ("token_key", FIELD),
            ("cookie_key", COOKIE),
            ("cookie_samesite", "lax"),
            ("cookie_secure", secure),
            ("httponly", True),
            ("max_age", MAX_AGE_S),
        ]
    )
    return protect


def form_tokens(protect: type[CsrfProtect], request: Request) -> tuple[str, str]:
    """The token for this page's forms and the signed value for the cookie that must match it."""
    stored = request.session.get(_SESSION_KEY)
    if (
        isinstance(stored, list)
        and len(stored) == 3
        and request.cookies.get(COOKIE) == stored[1]
        and time.time() - float(stored[2]) < RENEW_AFTER_S
    ):
        return str(stored[0]), str(stored[1])
    token, signed = protect().generate_csrf_tokens()
    request.session[_SESSION_KEY] = [token, signed, time.time()]
    return token, signed


async def verify_form(protect: type[CsrfProtect], request: Request) -> None:
    """Refuse a form post whose token is missing, forged, expired or issued to another session.

    Raises CsrfProtectError.
    """
    form = await request.form()
    await protect().validate_csrf(request)
    stored = request.session.get(_SESSION_KEY)
    sent = form.get(FIELD)
    if not (
        isinstance(stored, list)
        and stored
        and isinstance(sent, str)
        and hmac.compare_digest(str(stored[0]).encode(), sent.encode())
    ):
        raise TokenValidationError("The CSRF token was issued to another session.")
