"""Moderator commands under `/mod`: tasks, the challenge channel and time, achievement roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.client import CodestreakBot


async def setup(bot: CodestreakBot) -> None:
    """Add the moderator commands."""
    from bot.exts.moderation._cog import ModerationCog

    await bot.add_cog(ModerationCog(bot))
