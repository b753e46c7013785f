"""Streak reminders: `/remind`, and a loop that nudges opted-in learners once a day, by DM (or
in today's thread when their DMs are closed), before a live streak would break.

Besides `setup`, the face offers the scheduler cog (whose `check` is one pass).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.reminders._commands import RemindCommands
from bot.exts.reminders._scheduler import ReminderScheduler

if TYPE_CHECKING:
    from bot.client import CodestreakBot

__all__ = ["ReminderScheduler", "setup"]


async def setup(bot: CodestreakBot) -> None:
    """Add `/remind` to `bot` and start sending due reminders."""
    await bot.add_cog(RemindCommands(bot))
    await bot.add_cog(ReminderScheduler(bot))
