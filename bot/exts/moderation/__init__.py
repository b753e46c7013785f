"""Moderator commands under `/mod`, scoped to the server they run in: the tasks it curates, its
daily challenge (today's and tomorrow's), its settings and channels, achievement roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.moderation._cog import ModerationCog

if TYPE_CHECKING:
    from bot.client import CodestreakBot

__all__ = ["setup"]


async def setup(bot: CodestreakBot) -> None:
    """Add `/mod` to `bot`."""
    await bot.add_cog(ModerationCog(bot))
