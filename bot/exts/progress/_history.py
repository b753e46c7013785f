"""The `/history` list: one page of the learner's submissions at a time, with page buttons."""

from __future__ import annotations

import math

import discord

from bot.command_mentions import Mentions
from bot.pager import OwnedPager
from bot.render.progress import history_embed
from bot.services import Services
from core.catalog import Audience
from core.history import submission_history

PAGE_SIZE = 10


class HistoryPager(OwnedPager):
    """Pages through one learner's submissions; only they may turn its pages."""

    page_size = PAGE_SIZE

    def __init__(
        self,
        services: Services,
        owner_id: int,
        learner_id: int,
        audience: Audience,
        task: str | None,
        mentions: Mentions,
    ) -> None:
        super().__init__(owner_id, back="◀ Newer", forward="Older ▶")
        self.services = services
        self.learner_id = learner_id
        self.audience = audience
        self.task = task
        self.mentions = mentions

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
        if page * PAGE_SIZE >= found.total > 0:  # past the end: show the last page
            return await self.render(math.ceil(found.total / PAGE_SIZE) - 1)
        pages = self.settle(page, found.total)
        return history_embed(found.entries, found.total, self.page, pages, self.task, self.mentions)

    async def refusal(self, interaction: discord.Interaction) -> str:
        """Others are told to ask for their own history."""
        return f"Run {self.mentions('history')} yourself to see your own submissions."
