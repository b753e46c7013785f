"""The bot's features, one folder each, added as cogs when the bot sets itself up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.account._cog import AccountCog
from bot.exts.daily._cog import DailyScheduler
from bot.exts.learning._cog import LearningCog
from bot.exts.moderation._cog import ModerationCog
from bot.exts.submit._cog import SubmitCog

if TYPE_CHECKING:
    from bot.client import CodestreakBot


async def add_features(bot: CodestreakBot) -> None:
    """Add every feature's cog to `bot`."""
    for feature in (LearningCog, SubmitCog, AccountCog, ModerationCog, DailyScheduler):
        await bot.add_cog(feature(bot))
