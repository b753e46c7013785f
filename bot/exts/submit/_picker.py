"""Asking which task a message's code is for, with a select menu."""

from __future__ import annotations

import contextlib

import discord

from bot.exts.submit._codeblock import FoundCode
from bot.exts.submit._flow import SubmissionFlow
from bot.render.tasks import SERVER_MARK, is_server_task
from bot.render.text import clip
from bot.replies import SafeView, tell
from core.catalog import TaskSummary

OPTION_LIMIT = 25


class TaskPicker(SafeView):
    """A select of tasks for the code of one message; only its author may pick."""

    def __init__(
        self,
        flow: SubmissionFlow,
        origin: discord.Interaction,
        found: FoundCode,
        tasks: list[TaskSummary],
    ) -> None:
        super().__init__(timeout=15 * 60)
        self.flow = flow
        self.origin = origin
        self.found = found
        self.titles = {t.slug: t.title for t in tasks}
        self.add_item(
            TaskSelect(
                [
                    discord.SelectOption(
                        label=clip(t.title, 100),
                        value=t.slug,
                        description=clip(f"{t.difficulty} · {t.points} points · {t.slug}", 100),
                        emoji=SERVER_MARK if is_server_task(t) else None,
                    )
                    for t in tasks[:OPTION_LIMIT]
                ]
            )
        )

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the author of the code may choose."""
        if interaction.user.id != self.origin.user.id:
            await tell(interaction, "This menu belongs to someone else.")
            return False
        return True

    async def choose(self, interaction: discord.Interaction, slug: str) -> None:
        """Grade the code for the chosen task."""
        if not await self.flow.begin(interaction):
            return
        self.stop()
        with contextlib.suppress(discord.HTTPException):  # else the menu stays; grading goes on
            await self.origin.edit_original_response(
                content=f"Code sent for **{self.titles.get(slug, slug)}**.", view=None
            )
        await self.flow.grade(interaction, slug, self.found)


class TaskSelect(discord.ui.Select[TaskPicker]):
    """The select menu of a TaskPicker."""

    def __init__(self, options: list[discord.SelectOption]) -> None:
        super().__init__(placeholder="Which task is this code for?", options=options)

    async def callback(self, interaction: discord.Interaction) -> None:
        """Hand the choice to the picker."""
        assert self.view is not None
        await self.view.choose(interaction, self.values[0])
