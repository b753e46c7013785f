"""Help and onboarding: `/help`, and a welcome with a setup checklist when the bot joins a
server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.help._cog import HelpCog

if TYPE_CHECKING:
    from bot.client import CodestreakBot

__all__ = ["setup"]


async def setup(bot: CodestreakBot) -> None:
    """Add `/help` and the welcome to `bot`."""
    await bot.add_cog(HelpCog(bot))
