"""The `/history` list: one page of the learner's submissions at a time, with page buttons."""

from __future__ import annotations

import math

import discord

from bot.command_mentions import Mentions
from bot.render.progress import history_embed
from bot.replies import SafeView, tell
from bot.services import Services
from core.catalog import Audience
from core.history import submission_history

PAGE_SIZE = 10


class HistoryPager(SafeView):
    """Pages through one learner's submissions; only they may turn its pages."""

    def __init__(
        self,
        services: Services,
        owner_id: int,
        learner_id: int,
        audience: Audience,
        task: str | None,
        mentions: Mentions,
    ) -> None:
        super().__init__(timeout=15 * 60)
        self.services = services
        self.owner_id = owner_id
        self.learner_id = learner_id
        self.audience = audience
        self.task = task
        self.mentions = mentions
        self.page = 0

    async def render(self, page: int) -> discord.Embed:
        """Load `page` (clamped to the existing pages) and update the buttons."""
        async with self.services.sessions() as session:
            found = await submission_history(
                session,
                self.learner_id,
                self.audience,
                task_slug=self.task,
                limit=PAGE_SIZE,
                offset=max(page, 0) * PAGE_SIZE,
            )
        pages = max(1, math.ceil(found.total / PAGE_SIZE))
        if page >= pages and found.total:
            return await self.render(pages - 1)
        self.page = min(max(page, 0), pages - 1)
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= pages - 1
        return history_embed(found.entries, found.total, self.page, pages, self.task, self.mentions)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the learner whose history it is may turn its pages."""
        if interaction.user.id != self.owner_id:
            mine = f"Run {self.mentions('history')} yourself to see your own submissions."
            await tell(interaction, mine)
            return False
        return True

    @discord.ui.button(label="◀ Newer", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction, _: discord.ui.Button[HistoryPager]
    ) -> None:
        """Show newer submissions."""
        embed = await self.render(self.page - 1)
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="Older ▶", style=discord.ButtonStyle.primary)
    async def next(
        self, interaction: discord.Interaction, _: discord.ui.Button[HistoryPager]
    ) -> None:
        """Show older submissions."""
        embed = await self.render(self.page + 1)
        await interaction.response.edit_message(embed=embed, view=self)
