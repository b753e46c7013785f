"""`/remind on [time]`, `/remind off`, `/remind time <when>`: a learner's streak reminder."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.reminders._render import plan_text
from bot.replies import tell
from core.db import session_scope
from core.reminder_settings import set_reminders
from core.time_of_day import TimeOfDayRefused, parse_time_of_day

if TYPE_CHECKING:
    from bot.client import CodestreakBot

TIME_HELP = "Like 8pm, 7:45 am or 20:30, in your time zone"


class RemindCommands(commands.GroupCog, group_name="remind", group_description="Streak reminders."):
    """A learner's opt-in streak reminder; every answer is private and shows the settings."""

    def __init__(self, bot: CodestreakBot) -> None:
        super().__init__()
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="on", description="Remind me before my streak breaks.")
    @app_commands.describe(time=TIME_HELP)
    async def on(self, interaction: discord.Interaction, time: str | None = None) -> None:
        """Opt in, optionally at a new time; shows the settings either way."""
        await self._change(interaction, enabled=True, text=time)

    @app_commands.command(name="off", description="No more streak reminders.")
    async def off(self, interaction: discord.Interaction) -> None:
        """Opt out; the time is kept for when they come back."""
        await self._change(interaction, enabled=False)

    @app_commands.command(name="time", description="When my streak reminder comes.")
    @app_commands.describe(when=TIME_HELP)
    async def set_time(self, interaction: discord.Interaction, when: str) -> None:
        """Set the reminder's time of day (on or off stays as it is)."""
        await self._change(interaction, text=when)

    async def _change(
        self,
        interaction: discord.Interaction,
        *,
        enabled: bool | None = None,
        text: str | None = None,
    ) -> None:
        try:
            at: time | None = None if text is None else parse_time_of_day(text)
        except TimeOfDayRefused as refused:
            await tell(interaction, str(refused))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        learner = await self.services.learner_id(interaction.user, interaction.guild_id)
        async with session_scope(self.services.sessions) as session:
            plan = await set_reminders(
                session, learner, self.services.clock(), enabled=enabled, at=at
            )
        await tell(
            interaction, plan_text(plan, await self.services.mentions.of(interaction.guild_id))
        )
