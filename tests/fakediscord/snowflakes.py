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

    def next(self) -> int:
        """Return a fresh snowflake."""
        millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (millis << 22) | (next(self._counter) & 0x3FFFFF)


def iso_now() -> str:
    """Current UTC time in the ISO 8601 form Discord uses in payloads."""
    return datetime.now(UTC).isoformat()
