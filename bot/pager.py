"""A list shown one page at a time, whose buttons only the learner who asked may use."""

from __future__ import annotations

import math
from typing import Self

import discord

from bot.replies import SafeView, tell

PAGE_TIMEOUT_S = 15 * 60


class OwnedPager(SafeView):
    """Pages of one learner's list: a subclass loads a page (`render`) and says what others who
    press its buttons should do instead (`refusal`)."""

    page_size = 10

    def __init__(self, owner_id: int, *, back: str, forward: str) -> None:
        super().__init__(timeout=PAGE_TIMEOUT_S)
        self.owner_id = owner_id
        self.page = 0
        self.previous.label = back
        self.next.label = forward

    async def render(self, page: int) -> discord.Embed:
        """Load `page` (clamped to the existing pages) and update the buttons."""
        raise NotImplementedError

    async def refusal(self, interaction: discord.Interaction) -> str:
        """What someone else pressing the buttons is told to do instead."""
        raise NotImplementedError

    def settle(self, page: int, total: int) -> int:
        """Clamp `page` to the pages `total` items fill, enable the buttons that lead somewhere,
        and return the number of pages."""
        pages = max(1, math.ceil(total / self.page_size))
        self.page = min(max(page, 0), pages - 1)
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= pages - 1
        return pages

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the learner who asked may turn the pages."""
        if interaction.user.id != self.owner_id:
            await tell(interaction, await self.refusal(interaction))
            return False
        return True

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button[Self]) -> None:
        """Show the page before."""
        embed = await self.render(self.page - 1)
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="▶", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button[Self]) -> None:
        """Show the page after."""
        embed = await self.render(self.page + 1)
        await interaction.response.edit_message(embed=embed, view=self)
