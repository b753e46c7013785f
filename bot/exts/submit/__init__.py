"""Submitting solutions: `/submit` (modal or `.py` file) and the `Submit solution` message menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.client import CodestreakBot


async def setup(bot: CodestreakBot) -> None:
    """Add the submission commands."""
    from bot.exts.submit._cog import SubmitCog

    await bot.add_cog(SubmitCog(bot))
