"""Browsing: `/daily`, `/task` and the paged `/tasks` list."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.client import CodestreakBot


async def setup(bot: CodestreakBot) -> None:
    """Add the browsing commands."""
    from bot.exts.learning._cog import LearningCog

    await bot.add_cog(LearningCog(bot))
