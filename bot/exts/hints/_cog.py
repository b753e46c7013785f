"""`/hint <task>`: the hints a learner revealed, and the next one on offer at its cost."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.choices import published_task_choices
from bot.exts.hints._reveal import reveal_view
from bot.render.hints import hints_embed
from bot.replies import tell
from core.catalog import audience_of, find_visible_task
from core.hints import hint_state

if TYPE_CHECKING:
    from bot.client import CodestreakBot


class HintCog(commands.Cog):
    """Hints of the tasks a learner sees in the server they ask in, shown to them alone."""

    def __init__(self, bot: CodestreakBot) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(
        name="hint", description="Stuck? Reveal a task's hints one at a time; each costs points."
    )
    @app_commands.describe(task="Start typing a title or a slug")
    async def hint(self, interaction: discord.Interaction, task: str) -> None:
        """Show the hints revealed so far and offer the next one, stating what it costs."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        learner = await self.services.learner_id(interaction.user, interaction.guild_id)
        mentions = await self.services.mentions.of(interaction.guild_id)
        async with self.services.sessions() as session:
            found = await find_visible_task(
                session, task.strip(), audience_of(interaction.guild_id)
            )
            state = await hint_state(session, learner, found.id) if found else None
        if state is None:
            await tell(
                interaction, f"There is no published task `{task}`. Try {mentions('tasks')}."
            )
            return
        if not state.total:
            await tell(
                interaction,
                f"**{state.title}** has no hints. {mentions('task')} `task:{state.slug}` shows "
                "its statement and examples again.",
            )
            return
        embed = hints_embed(state, mentions)
        view = reveal_view(interaction.user.id, state)
        if view is None:
            await interaction.followup.send(embed=embed, ephemeral=True)
        else:
            await interaction.followup.send(embed=embed, view=view, ephemeral=True)

    @hint.autocomplete("task")
    async def _task_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        audience = audience_of(interaction.guild_id)
        return await published_task_choices(self.services, current, audience)
