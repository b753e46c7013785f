"""`/submit` and the `Submit solution` message menu, offering the tasks of the server they are
used in (the shared catalogue in DMs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.choices import published_task_choices
from bot.exts.submit._attachments import (
    HOW_TO_ATTACH,
    code_of_file,
    first_code_file,
    is_code_file,
)
from bot.exts.submit._codeblock import FoundCode, first_code_block, named_task
from bot.exts.submit._flow import SubmissionFlow
from bot.exts.submit._modal import code_from_submission, open_code_modal
from bot.exts.submit._picker import OPTION_LIMIT, TaskPicker
from bot.replies import report_failure, tell
from core.catalog import TaskSummary, audience_of, autocomplete, submission_candidates
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
        name="submit",
        description="Submit a solution: opens a code box with your last try, or grades a file.",
    )
    @app_commands.describe(
        task="The task to solve",
        file="A .py or .txt file with your solution (message.txt too)",
        share="Let others see your solution once accepted, after the day (default: as last time)",
    )
    async def submit(
        self,
        interaction: discord.Interaction,
        task: str,
        file: discord.Attachment | None = None,
        share: bool | None = None,
    ) -> None:
        """Grade an attached file, or open the code box with the learner's last code."""
        if file is None:
            await open_code_modal(self.services, interaction, task, share)
            return
        if not is_code_file(file.filename):
            await tell(interaction, f"`{file.filename}` is not a code file. {HOW_TO_ATTACH}")
            return
        await self._grade_file(interaction, task, file, share)

    @submit.autocomplete("task")
    async def _task_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        audience = audience_of(interaction.guild_id)
        return await published_task_choices(self.services, current, audience)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Grade a submitted code box, however long it was open (see `_modal`)."""
        box = code_from_submission(interaction)
        if box is None:
            return
        try:
            if await self.flow.begin(interaction):
                await self.flow.grade(interaction, box.slug, FoundCode(box.code), box.shared)
        except Exception as error:  # told briefly, logged in full
            await report_failure(interaction, error)

    async def _grade_file(
        self,
        interaction: discord.Interaction,
        slug: str,
        file: discord.Attachment,
        share: bool | None,
    ) -> None:
        """Download and grade a code file; call before acknowledging."""
        if not await self.flow.begin(interaction):
            return
        found = await self._download(interaction, file)
        if found is None:
            await self.flow.cancel(interaction)
            return
        await self.flow.grade(interaction, slug, found, share)

    async def submit_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """Grade the code of one's own message (its first code block, else its code file) for
        the task it names, or ask which task with a select."""
        if message.author.id != interaction.user.id:
            await tell(interaction, "You can only submit code from your own messages.")
            return
        found = first_code_block(message.content)
        file = None if found is not None else first_code_file(message.attachments)
        if found is None and file is None:
            await tell(
                interaction,
                "That message has no code block. Put your code between ```python and ``` "
                f"(on lines of their own), or attach it: {HOW_TO_ATTACH}",
            )
            return
        # acknowledged before any database work: Discord allows 3 seconds
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.services.sessions() as session:
            everything = await autocomplete(
                session, "", ALL_TASKS, audience=audience_of(interaction.guild_id)
            )
        slug = named_task(message.content, everything)
        if file is not None:
            found = await self._download(interaction, file)
        if found is None:
            return
        if slug is not None:
            if await self.flow.begin(interaction):
                await self.flow.grade(interaction, slug, found)
            return
        tasks = await self._candidates(interaction)
        if not tasks:
            await tell(interaction, "There are no tasks to submit to yet.")
            return
        await interaction.followup.send(
            "Which task is this code for?",
            view=TaskPicker(self.flow, interaction, found, tasks),
            ephemeral=True,
        )

    async def _download(
        self, interaction: discord.Interaction, file: discord.Attachment
    ) -> FoundCode | None:
        """The code of a code file; None (learner told) when too big or unreadable."""
        limit = self.services.settings.max_code_bytes
        if file.size > limit:
            await tell(
                interaction,
                f"Your file is {file.size // 1024} KB; the limit is {limit // 1024} KB.",
            )
            return None
        try:
            return code_of_file(file.filename, await file.read())
        except discord.HTTPException:
            await tell(interaction, "I could not download your file. Please try again.")
            return None

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
