"""A cooldown per key: between a learner's submissions (Discord and the site), between reports
of one problem.

Counted in `core.counters.Counters`, so with LIMITS_STORAGE_URI on Redis it holds across every
bot process (shard) sharing that Redis. When the counts cannot be reached the cooldown lets the
action through (and logs it): a learner is never silently kept from submitting, and the worst
that happens is a moderator told of the same problem twice.
"""

from __future__ import annotations

import logging
import math

from limits import RateLimitItem, RateLimitItemPerSecond

from core.counters import Counters, CountersUnavailable

logger = logging.getLogger(__name__)

#: the scope of the cooldown between one learner's submissions, on Discord and on the site alike
SUBMISSION_SCOPE = "submit"


def submitter_key(discord_id: int | None, learner_id: int) -> str:
    """The key of a learner's submission cooldown: their Discord id (which the bot knows before
    it reads the learner's row), else their learner id; so a linked learner waits the same
    cooldown wherever they submit."""
    return str(discord_id) if discord_id is not None else f"learner-{learner_id}"


class Cooldown:
    """Lets each key act once per `period_s` seconds (counted in whole seconds, rounded up);
    a refused attempt does not count. `scope` keeps the keys of two cooldowns apart."""

    def __init__(self, counters: Counters, scope: str, period_s: float) -> None:
        self.counters = counters
        self.scope = scope
        self.period_s = period_s

    def _rule(self) -> RateLimitItem:
        return RateLimitItemPerSecond(1, math.ceil(self.period_s))

    async def acquire(self, key: str | int) -> float:
        """0 when `key` may act now (and the cooldown starts), else the seconds left to wait."""
        if self.period_s <= 0:
            return 0.0
        try:
            return await self.counters.hit(self._rule(), self.scope, str(key))
        except CountersUnavailable as error:
            logger.warning(
                "cooldown %s not applied, the counts are unreachable: %s", self.scope, error
            )
            return 0.0

    async def release(self, key: str | int) -> None:
        """Undo the last `acquire` of `key` (the attempt was refused before grading)."""
        if self.period_s <= 0:
            return
        try:
            await self.counters.clear(self._rule(), self.scope, str(key))
        except CountersUnavailable as error:
            logger.warning(
                "cooldown %s not released, the counts are unreachable: %s", self.scope, error
            )
