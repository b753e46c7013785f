"""`/achievements` and `/history`: where a learner stands and what they tried."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.choices import published_task_choices
from bot.exts.progress._history import HistoryPager
from bot.render.progress import achievements_embed
from core.achievement_progress import achievement_standings
from core.catalog import audience_of

if TYPE_CHECKING:
    from bot.client import CodestreakBot


class ProgressCog(commands.Cog):
    """A learner's achievements and submissions, shown to them alone."""

    def __init__(self, bot: CodestreakBot) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(
        name="achievements", description="Every achievement: yours, and how close the rest are."
    )
    async def achievements(self, interaction: discord.Interaction) -> None:
        """Unlocked achievements with when, locked ones with progress, and the roles they grant
        in this server."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        learner = await self.services.learner_id(interaction.user, interaction.guild_id)
        async with self.services.sessions() as session:
            standings = await achievement_standings(session, learner, interaction.guild_id)
        embed = achievements_embed(standings, interaction.user.display_name)
        await interaction.followup.send(embed=embed, ephemeral=True)

    @app_commands.command(name="history", description="Your recent submissions and verdicts.")
    @app_commands.describe(task="Only this task (start typing a title or a slug)")
    async def history(self, interaction: discord.Interaction, task: str | None = None) -> None:
        """The learner's submissions, newest first, a page at a time."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        learner = await self.services.learner_id(interaction.user, interaction.guild_id)
        pager = HistoryPager(
            self.services,
            interaction.user.id,
            learner,
            audience_of(interaction.guild_id),
            task.strip() or None if task else None,
            await self.services.mentions.of(interaction.guild_id),
        )
        embed = await pager.render(0)
        await interaction.followup.send(embed=embed, view=pager, ephemeral=True)

    @history.autocomplete("task")
    async def _task_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        audience = audience_of(interaction.guild_id)
        return await published_task_choices(self.services, current, audience)
