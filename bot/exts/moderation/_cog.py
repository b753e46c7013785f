"""`/mod ...`: curating tasks and configuring the server."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands
from discord.ext import commands
from sqlalchemy.ext.asyncio import AsyncSession

from bot.choices import CHOICE_LIMIT, any_task_choices
from bot.exts.daily import DailyPostFailed
from bot.exts.moderation._access import REFUSAL, NotModerator, is_moderator, moderators_only
from bot.render.text import CONTENT_LIMIT, clip
from bot.replies import tell
from bot.roles import grant_to_holders, unfit_reason
from core.content.intake import import_task_document
from core.content.loader import ContentError
from core.daily import NoPublishedTasks
from core.db import session_scope
from core.guilds import (
    SettingRefused,
    achievement_choices,
    achievement_holders,
    find_guild_settings,
    map_achievement_role,
    set_announce_solves,
    set_channel,
    set_moderator_role,
    set_post_time,
    set_task_published,
    timezone_choices,
    today_for,
)
from core.models import Achievement
from core.moderators import record_moderator

if TYPE_CHECKING:
    from bot.client import CodestreakBot

T = TypeVar("T")
TASK_FILE_LIMIT = 512 * 1024
TASK_OPTION = "The task's slug (published or not)"


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class ModerationCog(commands.GroupCog, group_name="mod", group_description="Moderator tools."):
    """Moderator commands; every one checks the member first and records them as a moderator.

    Discord shows `/mod` only in servers and only to members with Manage Server, unless the
    server allows it for a role; the checks here hold whatever a server configured.
    Autocomplete callbacks carry `moderators_only`, since discord.py skips `interaction_check`
    for them.
    """

    def __init__(self, bot: CodestreakBot) -> None:
        super().__init__()
        self.bot = bot
        self.services = bot.services

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Refuse members without Manage Server or the moderator role."""
        if not await is_moderator(self.services, interaction):
            raise NotModerator(REFUSAL)
        return True

    async def _change(
        self, interaction: discord.Interaction, change: Callable[[AsyncSession], Awaitable[T]]
    ) -> T:
        """Apply a change and record the member as a moderator, in one transaction."""
        async with session_scope(self.services.sessions) as session:
            result = await change(session)
            await _record(session, interaction, self.services.clock())
            return result

    async def _try(
        self, interaction: discord.Interaction, change: Callable[[AsyncSession], Awaitable[T]]
    ) -> T | None:
        """`_change`, telling the moderator why when it was refused."""
        try:
            return await self._change(interaction, change)
        except SettingRefused as refusal:
            await tell(interaction, str(refusal))
            return None

    @app_commands.command(name="task-add", description="Add or update a task from a JSON file.")
    @app_commands.describe(file="The task as JSON (see the task format)")
    async def task_add(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """Validate a task file, prove it in the sandbox, and save it."""
        if file.size > TASK_FILE_LIMIT:
            await tell(interaction, f"The file is too large (limit {TASK_FILE_LIMIT // 1024} KB).")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        raw = await file.read()
        grader = self.services.grader
        try:
            imported = await self._change(
                interaction,
                lambda session: import_task_document(session, grader, raw, file.filename),
            )
        except ContentError as error:
            problems = "\n".join(f"• {problem}" for problem in error.problems)
            await tell(interaction, clip(f"The task was not saved:\n{problems}", CONTENT_LIMIT))
            return
        task = imported.task
        action = "Added" if imported.created else "Updated" if imported.changed else "Unchanged:"
        state = "published" if task.published else "not published (use /mod task-publish)"
        await tell(
            interaction,
            f"{action} **{task.title}** (`{task.slug}`), {state}. The reference solution passes "
            f"all {len(task.tests)} tests and the tests catch all "
            f"{len(task.wrong_solutions)} wrong solutions.",
        )

    @app_commands.command(name="task-publish", description="Let learners see and solve a task.")
    @app_commands.describe(task=TASK_OPTION)
    async def task_publish(self, interaction: discord.Interaction, task: str) -> None:
        """Publish a task."""
        await self._publish(interaction, task, True)

    @app_commands.command(name="task-unpublish", description="Hide a task from learners.")
    @app_commands.describe(task=TASK_OPTION)
    async def task_unpublish(self, interaction: discord.Interaction, task: str) -> None:
        """Unpublish a task."""
        await self._publish(interaction, task, False)

    async def _publish(self, interaction: discord.Interaction, slug: str, published: bool) -> None:
        moderator = await self.services.learner_id(interaction.user, interaction.guild_id)
        changed = await self._try(
            interaction, lambda session: set_task_published(session, slug, published, moderator)
        )
        if changed is not None:
            state = "published" if published else "unpublished"
            await tell(interaction, f"**{changed.title}** (`{changed.slug}`) is {state}.")

    @task_publish.autocomplete("task")
    @task_unpublish.autocomplete("task")
    @moderators_only
    async def _task_choices(
        self, _: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await any_task_choices(self.services, current)

    @app_commands.command(name="channel", description="Where the daily challenge is posted.")
    @app_commands.describe(channel="The text channel for the daily challenge")
    async def channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        """Set the challenge channel."""
        guild_id = channel.guild.id
        await self._change(interaction, lambda session: set_channel(session, guild_id, channel.id))
        await tell(interaction, f"The daily challenge will be posted in {channel.mention}.")

    @app_commands.command(name="time", description="When the daily challenge is posted.")
    @app_commands.describe(time="24-hour HH:MM", timezone="A time zone such as Europe/Berlin")
    async def time(
        self, interaction: discord.Interaction, time: str, timezone: str | None = None
    ) -> None:
        """Set the daily posting time and, optionally, the server's time zone."""
        assert interaction.guild_id is not None
        guild_id = interaction.guild_id
        settings = await self._try(
            interaction, lambda session: set_post_time(session, guild_id, time, timezone)
        )
        if settings is not None:
            await tell(
                interaction,
                f"The daily challenge will be posted at {settings.post_time:%H:%M} "
                f"({settings.timezone}).",
            )

    @time.autocomplete("timezone")
    @moderators_only
    async def _timezone_choices(
        self, _: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in timezone_choices(current)]

    @app_commands.command(name="role", description="Grant a role when an achievement is unlocked.")
    @app_commands.describe(
        achievement="The achievement that grants the role",
        role="A role without permissions, below the bot's highest role",
    )
    async def role(
        self, interaction: discord.Interaction, achievement: str, role: discord.Role
    ) -> None:
        """Map an achievement to a cosmetic role; members who already unlocked it get it too."""
        unfit = unfit_reason(role)
        if unfit is not None:
            await tell(interaction, f"I will not grant that role: {unfit}.")
            return
        guild_id = role.guild.id

        async def change(session: AsyncSession) -> tuple[Achievement, list[int]]:
            mapped = await map_achievement_role(session, guild_id, achievement, role.id)
            return mapped, await achievement_holders(session, guild_id, mapped.slug)

        changed = await self._try(interaction, change)
        if changed is None:
            return
        unlocked, holders = changed
        earlier = " Members who already unlocked it get it now." if holders else ""
        warning = ""
        if not role.guild.me.guild_permissions.manage_roles:
            warning = "\n⚠️ I cannot grant it yet: give me the Manage Roles permission."
        await tell(interaction, f"**{unlocked.name}** now grants {role.mention}.{earlier}{warning}")
        await grant_to_holders(self.bot, self.services, role, unlocked.name, holders)

    @role.autocomplete("achievement")
    @moderators_only
    async def _achievement_choices(
        self, _: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        async with self.services.sessions() as session:
            found = await achievement_choices(session, current, CHOICE_LIMIT)
        return [app_commands.Choice(name=clip(f"{n} ({s})", 100), value=s) for s, n in found]

    @app_commands.command(name="moderator-role", description="Members with this role moderate.")
    @app_commands.describe(role="The role whose members may use /mod")
    async def moderator_role(self, interaction: discord.Interaction, role: discord.Role) -> None:
        """Let members with `role` use the moderator commands."""
        guild_id = role.guild.id
        await self._change(interaction, lambda s: set_moderator_role(s, guild_id, role.id))
        await tell(
            interaction,
            f"Members with {role.mention} can now use /mod. So that Discord shows it to them, "
            "allow /mod for that role in Server Settings → Integrations.",
        )

    @app_commands.command(name="announce", description="Announce first solves in the channel.")
    @app_commands.describe(enabled="Whether first solves are announced")
    async def announce(self, interaction: discord.Interaction, enabled: bool) -> None:
        """Turn the public one-line solve announcements on or off."""
        assert interaction.guild_id is not None
        guild_id = interaction.guild_id
        await self._change(interaction, lambda s: set_announce_solves(s, guild_id, enabled))
        await tell(interaction, f"Solve announcements are {'on' if enabled else 'off'}.")

    @app_commands.command(name="post-daily", description="Post today's challenge now.")
    async def post_daily(self, interaction: discord.Interaction) -> None:
        """Post today's challenge now, unless it is already posted."""
        assert interaction.guild_id is not None
        guild_id = interaction.guild_id
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.services.sessions() as session:
            settings = await find_guild_settings(session, guild_id)
            day = await today_for(session, guild_id, self.services.clock())
        if settings is None or settings.challenge_channel_id is None:
            await tell(interaction, "Set the challenge channel first with /mod channel.")
            return
        try:
            posted = await self.bot.daily.post(guild_id, settings.challenge_channel_id, day)
        except NoPublishedTasks:
            await tell(interaction, "There is no published task to post.")
            return
        except DailyPostFailed as error:
            await tell(interaction, f"Today's challenge was not posted: {error}.")
            return
        async with session_scope(self.services.sessions) as session:
            await _record(session, interaction, self.services.clock())
        verb = "Posted" if posted.new else "Already posted"
        await tell(interaction, f"{verb}: {posted.jump_url(guild_id)}")


async def _record(session: AsyncSession, interaction: discord.Interaction, now: datetime) -> None:
    """Remember the member as a moderator of this server (they passed the check and acted)."""
    assert interaction.guild_id is not None
    await record_moderator(
        session, interaction.user.id, interaction.user.name, interaction.guild_id, now
    )
