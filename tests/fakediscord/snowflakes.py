"""Discord-style snowflake identifiers and the timestamps Discord writes next to them."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1_420_070_400_000


class SnowflakeFactory:
    """Hands out unique, increasing snowflakes whose embedded time is the current time.

    discord.py derives ``created_at`` from a snowflake, so the ids must carry a plausible time.
    """

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._last_millis = 0

    def next(self, *, shard: tuple[int, int] | None = None) -> int:
        """Return a fresh snowflake; with ``shard=(shard_id, count)`` one of a guild that
        Discord puts on that shard (its time moves up to ``count - 1`` ms ahead)."""
        millis = max(int(time.time() * 1000) - DISCORD_EPOCH_MS, self._last_millis)
        if shard is not None:
            shard_id, count = shard
            millis += (shard_id - millis) % count
        self._last_millis = millis
        return (millis << 22) | (next(self._counter) & 0x3FFFFF)


def shard_of(guild_id: int, count: int) -> int:
    """The shard Discord sends a guild's events to, of ``count``: ``(guild_id >> 22) % count``."""
    return (guild_id >> 22) % count


def iso_now() -> str:
    """Current UTC time in the ISO 8601 form Discord uses in payloads."""
    return datetime.now(UTC).isoformat()
