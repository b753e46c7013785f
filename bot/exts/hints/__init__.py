"""Hints: `/hint` shows a task's revealed hints and offers the next one, at a cost in points,
behind a Reveal button that keeps working after restarts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.hints._cog import HintCog
from bot.exts.hints._reveal import RevealButton

if TYPE_CHECKING:
    from bot.client import CodestreakBot

__all__ = ["setup"]


async def setup(bot: CodestreakBot) -> None:
    """Add `/hint` and its Reveal button to `bot`."""
    await bot.add_cog(HintCog(bot))
    bot.add_dynamic_items(RevealButton)
