"""Rate limits on the forms attackers hammer, per visitor address and per account or email.

Each app has its own slowapi `Limiter` (in-memory storage), so limits never leak between app
instances. The visitor's address is the peer's, or the one a trusted proxy names in
X-Forwarded-For (FORWARDED_ALLOW_IPS, applied by uvicorn). Behind a shared address (a proxy, an
office), the per-address limits are generous and the per-account and per-email ones stop
attackers who spread over many addresses. Those are keyed on what the visitor typed, never on
whether it is registered, so a refusal reveals nothing about which addresses have accounts.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable

from fastapi import Request
from limits import RateLimitItem, parse
from slowapi import Limiter
from slowapi.util import get_remote_address

# per visitor address
LOGIN = "10/minute"
REGISTER = "5/minute"
FORGOT_PASSWORD = "5/minute"
RESET_PASSWORD = "10/minute"
# per email address, account or link, from any address
LOGIN_PER_ACCOUNT = "10/15 minutes"
FORGOT_PASSWORD_PER_EMAIL = "3/hour"
RESET_PASSWORD_PER_LINK = "5/15 minutes"
#: changing the password or email and deleting the account share one count per account
PASSWORD_CHECK_PER_ACCOUNT = "10/hour"
EMAIL_CHANGE_PER_ADDRESS = "3/hour"


class TooManyAttempts(Exception):
    """A visitor went over a rate limit; the site answers with a friendly 429 page."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"rate limited; retry after {retry_after_s}s")
        self.retry_after_s = retry_after_s


def new_limiter() -> Limiter:
    """A limiter with its own in-memory storage, keyed by the client's address."""
    return Limiter(key_func=get_remote_address, storage_uri="memory://")


def count_attempt(request: Request, rule: RateLimitItem, scope: str, key: str) -> None:
    """Count one attempt at `scope` for `key`; raise `TooManyAttempts` once over `rule`."""
    limiter: Limiter = request.app.state.site.limiter
    if not limiter.limiter.hit(rule, scope, key):
        reset_at = limiter.limiter.get_window_stats(rule, scope, key).reset_time
        raise TooManyAttempts(max(1, int(reset_at - time.time())))


def typed_key(value: str) -> str:
    """A fixed-size key for what a visitor typed (an email address, a link), trimmed, any case."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


def rate_limit(rule: str, scope: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency that counts one attempt at `scope` per client and refuses those over `rule`."""
    item = parse(rule)

    async def check(request: Request) -> None:
        count_attempt(request, item, scope, get_remote_address(request))

    return check


def rate_limit_field(rule: str, scope: str, field: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency that counts one attempt at `scope` per value of the form's `field`."""
    item = parse(rule)

    async def check(request: Request) -> None:
        value = (await request.form()).get(field)
        count_attempt(request, item, scope, typed_key(value if isinstance(value, str) else ""))

    return check
