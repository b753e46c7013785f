"""The daily challenge: posted once per server per day at the configured time, with a thread,
a ping role learners give themselves with a button on the post, and a recap in the thread once
the day is over.

Besides `setup`, the face offers the poster (the bot keeps one; `/mod post-daily` posts through
it), its failure, its answer when another process is posting, the scheduler cog (whose `check`
is one pass), the marker every post starts with, where first solves are announced, and whether
the bot can hand a role out as the ping role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.daily._cog import DailyScheduler
from bot.exts.daily._ping import PingButton, ping_role_problem
from bot.exts.daily._poster import DailyPoster, DailyPostFailed, DailyPostInProgress, marker
from bot.exts.daily._threads import announcement_channel

if TYPE_CHECKING:
    from bot.client import CodestreakBot

__all__ = [
    "DailyPostFailed",
    "DailyPostInProgress",
    "DailyPoster",
    "DailyScheduler",
    "announcement_channel",
    "marker",
    "ping_role_problem",
    "setup",
]


async def setup(bot: CodestreakBot) -> None:
    """Start posting due daily challenges and recaps from `bot`; answer the ping button."""
    await bot.add_cog(DailyScheduler(bot))
    bot.add_dynamic_items(PingButton)
