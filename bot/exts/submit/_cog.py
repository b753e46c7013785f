"""`/submit` and the `Submit solution` message menu, offering the tasks of the server they are
used in (the shared catalogue in DMs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.choices import published_task_choices
from bot.exts.submit._codeblock import first_code_block, named_task
from bot.exts.submit._flow import SubmissionFlow
from bot.exts.submit._modal import CodeModal
from bot.exts.submit._picker import OPTION_LIMIT, TaskPicker
from bot.replies import tell
from core.catalog import (
    TaskSummary,
    audience_of,
    autocomplete,
    submission_candidates,
    task_detail,
)
from core.daily import DaySkipped, NoPublishedTasks
from core.db import session_scope
from core.guilds import daily_challenge, today_for

if TYPE_CHECKING:
    from bot.client import CodestreakBot

ALL_TASKS = 10_000


class SubmitCog(commands.Cog):
    """Grading learners' code from a modal, a file or a message."""

    def __init__(self, bot: CodestreakBot) -> None:
        self.bot = bot
        self.services = bot.services
        self.flow = SubmissionFlow(bot)
        self.menu = app_commands.ContextMenu(name="Submit solution", callback=self.submit_message)

    async def cog_load(self) -> None:
        """Register the message menu (context menus cannot live inside a cog class)."""
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        """Unregister the message menu."""
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    @app_commands.command(
        name="submit", description="Submit a solution: opens a code box, or grades a .py file."
    )
    @app_commands.describe(task="The task to solve", file="A .py file with your solution")
    async def submit(
        self,
        interaction: discord.Interaction,
        task: str,
        file: discord.Attachment | None = None,
    ) -> None:
        """Grade an attached file, or open the code modal pre-filled with the template."""
        if file is None:
            await self._open_modal(interaction, task)
            return
        limit = self.services.settings.max_code_bytes
        if not file.filename.lower().endswith(".py"):
            await tell(interaction, "Attach a Python file whose name ends in `.py`.")
            return
        if file.size > limit:
            await tell(
                interaction,
                f"Your file is {file.size // 1024} KB; the limit is {limit // 1024} KB.",
            )
            return
        if not await self.flow.begin(interaction):
            return
        try:
            raw = await file.read()
        except discord.HTTPException:
            await self.flow.cancel(interaction)
            await tell(interaction, "I could not download your file. Please try again.")
            return
        await self.flow.grade(interaction, task, raw)

    @submit.autocomplete("task")
    async def _task_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        audience = audience_of(interaction.guild_id)
        return await published_task_choices(self.services, current, audience)

    async def _open_modal(self, interaction: discord.Interaction, slug: str) -> None:
        async with self.services.sessions() as session:
            detail = await task_detail(session, slug, audience=audience_of(interaction.guild_id))
        if detail is None:
            await tell(interaction, f"There is no published task `{slug}`. Try `/tasks`.")
            return
        await interaction.response.send_modal(
            CodeModal(self.flow, detail.slug, detail.title, detail.template)
        )

    async def submit_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """Grade the first Python code block of one's own message, for the task it names."""
        if message.author.id != interaction.user.id:
            await tell(interaction, "You can only submit code from your own messages.")
            return
        code = first_code_block(message.content)
        if code is None:
            await tell(
                interaction,
                "That message has no code block. Put your code between ```python and ```.",
            )
            return
        async with self.services.sessions() as session:
            everything = await autocomplete(
                session, "", ALL_TASKS, audience=audience_of(interaction.guild_id)
            )
        slug = named_task(message.content, everything)
        if slug is not None:
            if await self.flow.begin(interaction):
                await self.flow.grade(interaction, slug, code)
            return
        tasks = await self._candidates(interaction)
        if not tasks:
            await tell(interaction, "There are no tasks to submit to yet.")
            return
        await interaction.response.send_message(
            "Which task is this code for?",
            view=TaskPicker(self.flow, interaction, code, tasks),
            ephemeral=True,
        )

    async def _candidates(self, interaction: discord.Interaction) -> list[TaskSummary]:
        """Today's challenge first, then the learner's unsolved tasks, then solved ones."""
        learner = await self.services.learner_id(interaction.user, interaction.guild_id)
        async with session_scope(self.services.sessions) as session:
            daily: str | None = None
            if interaction.guild_id is not None:
                day = await today_for(session, interaction.guild_id, self.services.clock())
                try:
                    daily = (await daily_challenge(session, interaction.guild_id, day)).task.slug
                except NoPublishedTasks:
                    return []
                except DaySkipped:
                    pass  # no challenge to put first today
            return await submission_candidates(
                session, learner, daily, OPTION_LIMIT, audience=audience_of(interaction.guild_id)
            )
