"""Rate limits on the forms attackers hammer, per visitor address and per account or email.

The attempts are counted in `core.counters.Counters`, one per app instance: in this process by
default, so limits never leak between apps, or in the Redis that LIMITS_STORAGE_URI names, so
every replica of the site counts the same attempts. The visitor's address is the peer's, or the
one a trusted proxy names in X-Forwarded-For (FORWARDED_ALLOW_IPS, applied by uvicorn). Behind a
shared address (a proxy, an office), the per-address limits are generous and the per-account and
per-email ones stop attackers who spread over many addresses. Those are keyed on what the
visitor typed, never on whether it is registered, so a refusal reveals nothing about which
addresses have accounts.

When the counts cannot be reached, the limited forms are closed (503, try again shortly) rather
than left open to unlimited password guesses.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request
from limits import RateLimitItem, parse

from core.counters import Counters, CountersUnavailable

logger = logging.getLogger(__name__)

# per visitor address
LOGIN = "10/minute"
REGISTER = "5/minute"
FORGOT_PASSWORD = "5/minute"
RESET_PASSWORD = "10/minute"
#: starting a sign-in with Discord (each answer costs two requests to Discord)
DISCORD_SIGN_IN = "10/minute"
# per email address, account or link, from any address
LOGIN_PER_ACCOUNT = "10/15 minutes"
FORGOT_PASSWORD_PER_EMAIL = "3/hour"
RESET_PASSWORD_PER_LINK = "5/15 minutes"
#: changing the password or email and deleting the account share one count per account
PASSWORD_CHECK_PER_ACCOUNT = "10/hour"
EMAIL_CHANGE_PER_ADDRESS = "3/hour"
#: display-name and public-profile changes of one account
PROFILE_CHANGE_PER_ACCOUNT = "10/hour"
#: how long a visitor is asked to wait when the counts cannot be reached
UNAVAILABLE_RETRY_AFTER_S = 30
UNAVAILABLE_MESSAGE = (
    "This form is closed for a moment: we cannot check how often it was tried just now. "
    "Please try again in a minute."
)


class TooManyAttempts(Exception):
    """A visitor went over a rate limit; the site answers with a friendly 429 page."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"rate limited; retry after {retry_after_s}s")
        self.retry_after_s = retry_after_s


async def count_attempt(request: Request, rule: RateLimitItem, scope: str, key: str) -> None:
    """Count one attempt at `scope` for `key`; raise `TooManyAttempts` once over `rule`, and a
    503 when the counts cannot be reached (the form stays closed rather than unlimited)."""
    counters: Counters = request.app.state.site.counters
    try:
        wait = await counters.hit(rule, scope, key)
    except CountersUnavailable as error:
        logger.error("rate limits cannot be counted, refusing %s: %s", scope, error)
        raise HTTPException(
            503, UNAVAILABLE_MESSAGE, headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER_S)}
        ) from error
    if wait:
        raise TooManyAttempts(math.ceil(wait))


def client_address(request: Request) -> str:
    """The visitor's address (as uvicorn resolved it behind a trusted proxy)."""
    return request.client.host if request.client else "127.0.0.1"


def typed_key(value: str) -> str:
    """A fixed-size key for what a visitor typed (an email address, a link), trimmed, any case."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


def rate_limit(rule: str, scope: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency that counts one attempt at `scope` per client and refuses those over `rule`."""
    item = parse(rule)

    async def check(request: Request) -> None:
        await count_attempt(request, item, scope, client_address(request))

    return check


def rate_limit_field(rule: str, scope: str, field: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency that counts one attempt at `scope` per value of the form's `field`."""
    item = parse(rule)

    async def check(request: Request) -> None:
        value = (await request.form()).get(field)
        await count_attempt(
            request, item, scope, typed_key(value if isinstance(value, str) else "")
        )

    return check
