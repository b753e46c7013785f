"""The `/tasks` list: one page at a time, with Previous and Next buttons."""

from __future__ import annotations

import math
from dataclasses import dataclass

import discord

from bot.render.tasks import task_list_embed
from bot.replies import SafeView, tell
from bot.services import Services
from core.catalog import Audience, SolvedFilter, list_tasks
from core.content.schema import Difficulty

PAGE_SIZE = 10


@dataclass(frozen=True, slots=True)
class TaskFilters:
    """What the learner asked `/tasks` for."""

    difficulty: Difficulty | None
    tag: str | None
    search: str | None
    status: SolvedFilter | None

    def describe(self) -> str:
        """The filters as a footer suffix, e.g. ' · easy · tag strings'."""
        parts = [
            self.difficulty or "",
            f"tag {self.tag}" if self.tag else "",
            f"“{self.search}”" if self.search else "",
            self.status.value if self.status else "",
        ]
        return "".join(f" · {part}" for part in parts if part)


class TaskPager(SafeView):
    """Pages through the tasks of an audience matching some filters; only the invoker may turn
    pages."""

    def __init__(
        self,
        services: Services,
        owner_id: int,
        learner_id: int,
        filters: TaskFilters,
        audience: Audience,
    ) -> None:
        super().__init__(timeout=15 * 60)
        self.services = services
        self.owner_id = owner_id
        self.learner_id = learner_id
        self.filters = filters
        self.audience = audience
        self.page = 0

    async def render(self, page: int) -> discord.Embed:
        """Load `page` (clamped to the existing pages) and update the buttons."""
        filters = self.filters
        async with self.services.sessions() as session:
            tasks, total = await list_tasks(
                session,
                difficulty=filters.difficulty,
                tag=filters.tag,
                text=filters.search,
                status=filters.status,
                user_id=self.learner_id,
                limit=PAGE_SIZE,
                offset=page * PAGE_SIZE,
                audience=self.audience,
            )
        pages = max(1, math.ceil(total / PAGE_SIZE))
        self.page = min(max(page, 0), pages - 1)
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= pages - 1
        return task_list_embed(tasks, total, self.page, pages, filters.describe())

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the learner who asked may turn the pages."""
        if interaction.user.id != self.owner_id:
            mentions = await self.services.mentions.of(interaction.guild_id)
            await tell(interaction, f"Run {mentions('tasks')} yourself to browse the list.")
            return False
        return True

    @discord.ui.button(label="◀ Previous", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction, _: discord.ui.Button[TaskPager]
    ) -> None:
        """Show the page before."""
        embed = await self.render(self.page - 1)
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="Next ▶", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button[TaskPager]) -> None:
        """Show the page after."""
        embed = await self.render(self.page + 1)
        await interaction.response.edit_message(embed=embed, view=self)
