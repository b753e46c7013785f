"""Counts that every process of a deployment shares: the site's rate limits, the bot's cooldowns.

They live where LIMITS_STORAGE_URI says, through the `limits` library's async API: `memory://`
counts in this process alone (the embedded default, which imports no Redis client), a Redis URI
(`redis://`, `rediss://`, `redis+unix://`, or the same with `async+` in front) counts once for
every replica and shard sharing that Redis. Each count is a fixed window that opens at its first
attempt: "10 per minute" lets ten through in the minute after the first one, and "1 per N
seconds" is a cooldown of N seconds.

A storage that cannot be reached raises `CountersUnavailable` within `REDIS_TIMEOUT_S`; each
caller decides whether that refuses (a password guess) or lets through (a learner's submission).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import StorageError

if TYPE_CHECKING:
    from redis.asyncio import ConnectionPool

#: the schemes LIMITS_STORAGE_URI may use, each with or without `async+` in front
MEMORY_SCHEME = "memory"
REDIS_SCHEMES = ("redis", "rediss", "redis+unix")
#: every key the counts write in Redis starts with this
KEY_PREFIX = "codestreak:limits"
#: a Redis that answers no faster counts as down: the site and the bot answer instead of hanging
REDIS_TIMEOUT_S = 2.0
#: the least a refused attempt is told to wait, since the storage's clock may be coarser
MIN_WAIT_S = 1.0


class CountersUnavailable(Exception):
    """The storage of the counts could not be reached (Redis down, refused or too slow)."""


def storage_scheme(uri: str) -> str:
    """The scheme of a counts storage URI without `async+`; ValueError naming the valid ones."""
    scheme = uri.partition("://")[0].removeprefix("async+")
    if "://" not in uri or scheme not in (MEMORY_SCHEME, *REDIS_SCHEMES):
        valid = ", ".join(f"{name}://" for name in (MEMORY_SCHEME, *REDIS_SCHEMES))
        raise ValueError(
            f"LIMITS_STORAGE_URI must start with one of {valid}, "
            "e.g. redis://:password@redis:6379/1"
        )
    return scheme


class Counters:
    """Attempts counted per rule, scope and key in the storage `uri` names."""

    def __init__(self, uri: str) -> None:
        self._pool: ConnectionPool | None = None
        self._limiter = FixedWindowRateLimiter(self._open(uri))

    def _open(self, uri: str) -> Storage:
        if storage_scheme(uri) == MEMORY_SCHEME:
            return MemoryStorage()
        # imported only here: the embedded default never loads a Redis client
        from redis.asyncio import ConnectionPool

        plain = uri.removeprefix("async+")
        self._pool = ConnectionPool.from_url(
            plain, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S
        )
        # `limits` types its options as scalars, but passes them on to redis-py's client
        client_options: dict[str, Any] = {"connection_pool": self._pool}
        return RedisStorage(
            f"async+{plain}",
            implementation="redispy",
            key_prefix=KEY_PREFIX,
            wrap_exceptions=True,
            **client_options,
        )

    async def hit(self, rule: RateLimitItem, scope: str, key: str) -> float:
        """Count one attempt at `scope` for `key`: 0 when `rule` allows it, else the seconds
        until its window ends (at least `MIN_WAIT_S`). Raises `CountersUnavailable`."""
        try:
            if await self._limiter.hit(rule, scope, key):
                return 0.0
            stats = await self._limiter.get_window_stats(rule, scope, key)
        except StorageError as error:
            raise CountersUnavailable(str(error.storage_error)) from error
        return max(stats.reset_time - time.time(), MIN_WAIT_S)

    async def clear(self, rule: RateLimitItem, scope: str, key: str) -> None:
        """Forget the attempts at `scope` for `key`. Raises `CountersUnavailable`."""
        try:
            await self._limiter.clear(rule, scope, key)
        except StorageError as error:
            raise CountersUnavailable(str(error.storage_error)) from error

    async def aclose(self) -> None:
        """Close the connections to Redis, if any."""
        if self._pool is not None:
            await self._pool.aclose()
