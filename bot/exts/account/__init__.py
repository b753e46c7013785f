"""The learner's own things: `/profile`, `/leaderboard`, `/link` and `/export`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.account._cog import AccountCog

if TYPE_CHECKING:
    from bot.client import CodestreakBot

__all__ = ["setup"]


async def setup(bot: CodestreakBot) -> None:
    """Add the account commands to `bot`."""
    await bot.add_cog(AccountCog(bot))
