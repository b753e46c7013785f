"""Browsing: `/daily`, `/task` and the paged `/tasks` list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.learning._cog import LearningCog

if TYPE_CHECKING:
    from bot.client import CodestreakBot

__all__ = ["setup"]


async def setup(bot: CodestreakBot) -> None:
    """Add the browsing commands to `bot`."""
    await bot.add_cog(LearningCog(bot))
