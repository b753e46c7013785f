"""The daily challenge: posted once per server per day at the configured time, with a thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.client import CodestreakBot


async def setup(bot: CodestreakBot) -> None:
    """Start the daily scheduler."""
    from bot.exts.daily._cog import DailyScheduler

    await bot.add_cog(DailyScheduler(bot))
