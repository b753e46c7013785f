"""Rate limits on the pages attackers hammer: login, register, forgot and reset password.

Each app has its own slowapi `Limiter` (in-memory storage), so limits never leak between app
instances. Behind a reverse proxy, run uvicorn with `--proxy-headers` so the client address is
the visitor's and not the proxy's.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import Request
from limits import parse
from slowapi import Limiter
from slowapi.util import get_remote_address

LOGIN = "10/minute"
REGISTER = "5/minute"
FORGOT_PASSWORD = "5/minute"
RESET_PASSWORD = "10/minute"


class TooManyAttempts(Exception):
    """A visitor went over a rate limit; the site answers with a friendly 429 page."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"rate limited; retry after {retry_after_s}s")
        self.retry_after_s = retry_after_s


def new_limiter() -> Limiter:
    """A limiter with its own in-memory storage, keyed by the client's address."""
    return Limiter(key_func=get_remote_address, storage_uri="memory://")


def rate_limit(rule: str, scope: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency that counts one attempt at `scope` per client and refuses those over `rule`."""
    item = parse(rule)

    async def check(request: Request) -> None:
        limiter: Limiter = request.app.state.site.limiter
        key = get_remote_address(request)
        if not limiter.limiter.hit(item, scope, key):
            reset_at = limiter.limiter.get_window_stats(item, scope, key).reset_time
            raise TooManyAttempts(max(1, int(reset_at - time.time())))

    return check
