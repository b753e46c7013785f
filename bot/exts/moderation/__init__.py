"""Moderator commands under `/mod`: tasks, the challenge channel and time, achievement roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.moderation._cog import ModerationCog

if TYPE_CHECKING:
    from bot.client import CodestreakBot

__all__ = ["setup"]


async def setup(bot: CodestreakBot) -> None:
    """Add `/mod` to `bot`."""
    await bot.add_cog(ModerationCog(bot))
