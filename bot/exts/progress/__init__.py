"""A learner's progress: `/achievements` (all, locked ones with progress) and `/history`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.progress._cog import ProgressCog

if TYPE_CHECKING:
    from bot.client import CodestreakBot

__all__ = ["setup"]


async def setup(bot: CodestreakBot) -> None:
    """Add `/achievements` and `/history` to `bot`."""
    await bot.add_cog(ProgressCog(bot))
