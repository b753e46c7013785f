"""The `/tasks` list: one page at a time, with Previous and Next buttons."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.pager import OwnedPager
from bot.render.tasks import task_list_embed
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


class TaskPager(OwnedPager):
    """Pages through the tasks of an audience matching some filters; only the invoker may turn
    pages."""

    page_size = PAGE_SIZE

    def __init__(
        self,
        services: Services,
        owner_id: int,
        learner_id: int,
        filters: TaskFilters,
        audience: Audience,
    ) -> None:
        super().__init__(owner_id, back="◀ Previous", forward="Next ▶")
        self.services = services
        self.learner_id = learner_id
        self.filters = filters
        self.audience = audience

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
                offset=max(page, 0) * PAGE_SIZE,
                audience=self.audience,
            )
        pages = self.settle(page, total)
        return task_list_embed(tasks, total, self.page, pages, filters.describe())

    async def refusal(self, interaction: discord.Interaction) -> str:
        """Others are told to ask for their own list."""
        mentions = await self.services.mentions.of(interaction.guild_id)
        return f"Run {mentions('tasks')} yourself to browse the list."
