"""`/daily`, `/task` and `/tasks`, each showing the tasks of the server it is used in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.choices import CHOICE_LIMIT, labelled_choices, published_task_choices
from bot.exts.learning._pager import TaskFilters, TaskPager
from bot.render.tasks import task_embed
from bot.replies import tell
from core.catalog import SolvedFilter, all_tags, audience_of, task_detail
from core.content.schema import Difficulty
from core.daily import DaySkipped, NoPublishedTasks
from core.db import session_scope
from core.guilds import daily_challenge, today_for

if TYPE_CHECKING:
    from bot.client import CodestreakBot


class LearningCog(commands.Cog):
    """Reading today's challenge, one task, or the filtered catalogue.

    A server's own tasks show only in that server; DMs show the shared catalogue.
    """

    def __init__(self, bot: CodestreakBot) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="daily", description="Today's challenge in this server.")
    @app_commands.guild_only()
    async def daily(self, interaction: discord.Interaction) -> None:
        """Show this server's challenge of the day."""
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        learner = await self.services.learner_id(interaction.user, interaction.guild_id)
        async with session_scope(self.services.sessions) as session:
            day = await today_for(session, interaction.guild_id, self.services.clock())
            try:
                challenge = await daily_challenge(session, interaction.guild_id, day, learner)
            except NoPublishedTasks:
                await tell(interaction, "There is no published task yet, so no daily challenge.")
                return
            except DaySkipped:
                await tell(
                    interaction, "There is no daily challenge today: the moderators skipped it."
                )
                return
        embed = task_embed(
            challenge.task,
            self.services.settings.site_url,
            await self.services.mentions.of(interaction.guild_id),
            heading=f"Daily challenge {day.isoformat()}",
        )
        await interaction.followup.send(embed=embed, ephemeral=True)

    @app_commands.command(name="task", description="Show a task: statement, examples, limits.")
    @app_commands.describe(task="Start typing a title or a slug")
    async def task(self, interaction: discord.Interaction, task: str) -> None:
        """Show one published task with the learner's status on it."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        learner = await self.services.learner_id(interaction.user, interaction.guild_id)
        async with self.services.sessions() as session:
            detail = await task_detail(
                session, task, learner, audience=audience_of(interaction.guild_id)
            )
        mentions = await self.services.mentions.of(interaction.guild_id)
        if detail is None:
            missing = f"There is no published task `{task}`. Try {mentions('tasks')}."
            await tell(interaction, missing)
            return
        embed = task_embed(detail, self.services.settings.site_url, mentions)
        await interaction.followup.send(embed=embed, ephemeral=True)

    @task.autocomplete("task")
    async def _task_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        audience = audience_of(interaction.guild_id)
        return await published_task_choices(self.services, current, audience)

    @app_commands.command(name="tasks", description="List tasks, filtered and paged.")
    @app_commands.describe(
        difficulty="Only this difficulty",
        tag="Only tasks with this tag",
        search="Text in the title or slug",
        status="Only the tasks you solved, or those still open",
    )
    @app_commands.choices(difficulty=labelled_choices(Difficulty))
    async def tasks(
        self,
        interaction: discord.Interaction,
        difficulty: str | None = None,
        tag: str | None = None,
        search: str | None = None,
        status: Literal["solved", "unsolved"] | None = None,
    ) -> None:
        """A page of matching tasks with buttons to turn pages."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        learner = await self.services.learner_id(interaction.user, interaction.guild_id)
        filters = TaskFilters(
            Difficulty(difficulty) if difficulty else None,
            tag,
            search,
            SolvedFilter(status) if status else None,
        )
        audience = audience_of(interaction.guild_id)
        pager = TaskPager(self.services, interaction.user.id, learner, filters, audience)
        embed = await pager.render(0)
        await interaction.followup.send(embed=embed, view=pager, ephemeral=True)

    @tasks.autocomplete("tag")
    async def _tag_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        async with self.services.sessions() as session:
            tags = await all_tags(session, audience=audience_of(interaction.guild_id))
        found = [t for t in tags if current.lower() in t.lower()][:CHOICE_LIMIT]
        return [app_commands.Choice(name=t, value=t) for t in found]
