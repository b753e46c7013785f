"""`/mod tomorrow` and `/mod post-daily`: the server's daily challenge, ahead of time and now."""

from __future__ import annotations

from datetime import timedelta

import discord
from discord import app_commands
from sqlalchemy.ext.asyncio import AsyncSession

from bot.choices import published_task_choices
from bot.exts.daily import DailyPostFailed, DailyPostInProgress
from bot.exts.moderation._access import moderators_only
from bot.exts.moderation._base import ModeratorCommands, guild_id_of, record
from bot.render.moderation import planned_day_line
from bot.replies import tell
from core.catalog import audience_of
from core.daily import DaySkipped, NoPublishedTasks, choose_daily, skip_daily, upcoming_daily
from core.db import session_scope
from core.guild_overview import PlannedDay, planned_day
from core.guilds import find_guild_settings, guild_settings, today_for

NO_TASKS = "There is no published task to post."


class DailyCommands(ModeratorCommands):
    """Choosing or skipping tomorrow's challenge, and posting today's now."""

    @app_commands.command(name="tomorrow", description="See, choose or skip tomorrow's challenge.")
    @app_commands.describe(
        task="The published task to post tomorrow (one learners here can see)",
        skip="True: post no challenge tomorrow; False: post one again",
    )
    async def tomorrow(
        self, interaction: discord.Interaction, task: str | None = None, skip: bool | None = None
    ) -> None:
        """Show tomorrow's challenge (the server's local tomorrow), choose it or skip the day."""
        if task is not None and skip:
            await tell(interaction, "Choose a task or skip the day, not both.")
            return
        guild_id = guild_id_of(interaction)
        now = self.services.clock()

        async def plan(session: AsyncSession) -> PlannedDay:
            day = await today_for(session, guild_id, now) + timedelta(days=1)
            if task is not None:
                await choose_daily(session, guild_id, day, task)
            elif skip is not None:
                await skip_daily(session, guild_id, day, skip)
            else:
                await upcoming_daily(session, guild_id, day)
            return await planned_day(session, await guild_settings(session, guild_id), day)

        try:
            planned = await self.attempt(interaction, plan)
        except NoPublishedTasks:
            await tell(interaction, f"{NO_TASKS} Publish one, then choose tomorrow's.")
            return
        if planned is not None:
            mentions = await self.services.mentions.of(interaction.guild_id)
            await tell(interaction, f"Tomorrow: {planned_day_line(planned, mentions)}")

    @tomorrow.autocomplete("task")
    @moderators_only
    async def _visible_task_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await published_task_choices(
            self.services, current, audience_of(guild_id_of(interaction))
        )

    @app_commands.command(name="post-daily", description="Post today's challenge now.")
    async def post_daily(self, interaction: discord.Interaction) -> None:
        """Post today's challenge now, unless it is already posted or the day is skipped."""
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.services.sessions() as session:
            settings = await find_guild_settings(session, guild_id)
            day = await today_for(session, guild_id, self.services.clock())
        if settings is None or settings.challenge_channel_id is None:
            mentions = await self.services.mentions.of(guild_id)
            await tell(
                interaction, f"Set the challenge channel first with {mentions('mod channel')}."
            )
            return
        try:
            posted = await self.bot.daily.post(guild_id, settings.challenge_channel_id, day)
        except NoPublishedTasks:
            await tell(interaction, NO_TASKS)
            return
        except (DailyPostFailed, DailyPostInProgress, DaySkipped) as error:
            await tell(interaction, f"Today's challenge was not posted: {error}.")
            return
        async with session_scope(self.services.sessions) as session:
            await record(session, interaction, self.services.clock())
        verb = "Posted" if posted.new else "Already posted"
        await tell(interaction, f"{verb}: {posted.jump_url(guild_id)}")
