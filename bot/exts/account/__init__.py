"""The learner's own things: `/profile`, `/leaderboard`, `/link` and `/export`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.client import CodestreakBot


async def setup(bot: CodestreakBot) -> None:
    """Add the learner account commands."""
    from bot.exts.account._cog import AccountCog

    await bot.add_cog(AccountCog(bot))
