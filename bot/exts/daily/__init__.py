"""The daily challenge: posted once per server per day at the configured time, with a thread.

Besides `setup`, the face offers the poster (the bot keeps one; `/mod post-daily` posts through
it), its failure, its answer when another process is posting, the scheduler cog (whose `check`
is one pass) and the marker every post starts with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.daily._cog import DailyScheduler
from bot.exts.daily._poster import DailyPoster, DailyPostFailed, DailyPostInProgress, marker

if TYPE_CHECKING:
    from bot.client import CodestreakBot

__all__ = [
    "DailyPostFailed",
    "DailyPostInProgress",
    "DailyPoster",
    "DailyScheduler",
    "marker",
    "setup",
]


async def setup(bot: CodestreakBot) -> None:
    """Start posting due daily challenges from `bot`."""
    await bot.add_cog(DailyScheduler(bot))
