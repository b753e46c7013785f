"""`/mod settings`, `channel`, `log-channel`, `time`, `daily-mix`, `moderator-role`,
`announce`, `ping-role`: the server's configuration, each change remembering who made it."""

from __future__ import annotations

import discord
from discord import app_commands
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channel_access import (
    POSTING,
    REPORTING,
    THREADS,
    ChannelPermission,
    missing,
    named,
)
from bot.exts.daily import ping_role_problem
from bot.exts.moderation._access import moderators_only
from bot.exts.moderation._base import ModeratorCommands, guild_id_of
from bot.render.moderation import settings_embed
from bot.replies import tell
from core.daily_mix import DEFAULT_MIX, MAX_TEXT, DailyMix, parse_mix
from core.daily_pings import PING_ROLE_NAME, ping_role_of, set_ping_role
from core.guild_overview import server_overview
from core.guilds import (
    set_announce_solves,
    set_channel,
    set_daily_mix,
    set_mod_log_channel,
    set_moderator_role,
    set_post_time,
    timezone_choices,
)

#: what moderators write to go back to the default daily mix
DEFAULT_WORD = "default"
PERMISSIONS_HOW = "Allow them for my role in the channel's settings (Permissions), then try again."


def _channel_problems(
    guild: discord.Guild, channel_id: int | None, needed: tuple[ChannelPermission, ...]
) -> list[str]:
    """What keeps the bot from doing its job in a configured channel (nothing when unset)."""
    if channel_id is None:
        return []
    channel = guild.get_channel(channel_id)
    if not isinstance(channel, discord.TextChannel):
        return [f"<#{channel_id}> is gone or not a text channel."]
    lacking = missing(channel, needed)
    return [f"In {channel.mention} I lack {named(lacking)}."] if lacking else []


class ServerCommands(ModeratorCommands):
    """Seeing and changing the server's configuration."""

    @app_commands.command(name="settings", description="This server's configuration at a glance.")
    async def settings(self, interaction: discord.Interaction) -> None:
        """Show the whole configuration, the next posts and the server's tasks, to the
        moderator alone."""
        guild_id = guild_id_of(interaction)
        now = self.services.clock()
        home = self.services.settings.home_guild_ids
        overview = await self.change(
            interaction, lambda session: server_overview(session, guild_id, now, home)
        )
        guild = interaction.guild
        assert guild is not None
        settings = overview.settings
        problems = [
            *_channel_problems(guild, settings.challenge_channel_id, POSTING + THREADS),
            *_channel_problems(guild, settings.mod_log_channel_id, REPORTING),
        ]
        mentions = await self.services.mentions.of(guild.id)
        await interaction.response.send_message(
            embed=settings_embed(overview, guild.name, mentions, problems), ephemeral=True
        )

    @app_commands.command(name="channel", description="Where the daily challenge is posted.")
    @app_commands.describe(channel="The text channel for the daily challenge")
    async def channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        """Set the challenge channel, once the bot can post there; say what it lacks."""
        lacking = missing(channel, POSTING + THREADS)
        if any(permission in POSTING for permission in lacking):
            await tell(
                interaction,
                f"I cannot post the daily challenge in {channel.mention}: I lack "
                f"{named(lacking)} there. {PERMISSIONS_HOW}",
            )
            return
        guild_id = channel.guild.id
        saved = await self.configure(
            interaction, lambda session: set_channel(session, guild_id, channel.id)
        )
        if saved is None:
            return
        warning = ""
        if lacking:
            warning = (
                f"\n⚠️ Without {named(lacking)} there I cannot open its discussion thread. "
                f"{PERMISSIONS_HOW}"
            )
        await tell(
            interaction, f"The daily challenge will be posted in {channel.mention}.{warning}"
        )

    @app_commands.command(name="log-channel", description="Where I report problems to moderators.")
    @app_commands.describe(channel="A channel only moderators read; leave out to report by DM")
    async def log_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        """Set (or clear) the channel where problems the bot meets are reported."""
        if channel is not None and (lacking := missing(channel, REPORTING)):
            await tell(
                interaction,
                f"I cannot report in {channel.mention}: I lack {named(lacking)} there. "
                f"{PERMISSIONS_HOW}",
            )
            return
        guild_id = guild_id_of(interaction)
        channel_id = channel.id if channel else None
        saved = await self.configure(
            interaction, lambda session: set_mod_log_channel(session, guild_id, channel_id)
        )
        if saved is None:
            return
        if channel is None:
            await tell(
                interaction,
                "No mod-log channel: I will report problems (a daily post or a role grant that "
                "failed) to you by DM, as the moderator who changed the settings last.",
            )
            return
        await tell(
            interaction,
            f"I will report problems (a daily post or a role grant that failed) in "
            f"{channel.mention}.",
        )

    @app_commands.command(name="time", description="When the daily challenge is posted.")
    @app_commands.describe(time="24-hour HH:MM", timezone="A time zone such as Europe/Berlin")
    async def time(
        self, interaction: discord.Interaction, time: str, timezone: str | None = None
    ) -> None:
        """Set the daily posting time and, optionally, the server's time zone."""
        guild_id = guild_id_of(interaction)
        settings = await self.configure(
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

    @app_commands.command(name="daily-mix", description="The difficulty of each day's challenge.")
    @app_commands.describe(
        mix="Rules like `mon-thu: easy; fri: medium; sat,sun: hard`, weights like "
        "`every day: easy=3 medium=1`, or `default`"
    )
    async def daily_mix(
        self, interaction: discord.Interaction, mix: app_commands.Range[str, 1, MAX_TEXT]
    ) -> None:
        """Choose which difficulty each day's challenge has (`default`: the beginners' mix)."""
        guild_id = guild_id_of(interaction)

        async def choose(session: AsyncSession) -> DailyMix:
            wanted = None if mix.strip().lower() == DEFAULT_WORD else parse_mix(mix)
            return await set_daily_mix(session, guild_id, wanted)

        saved = await self.configure(interaction, choose)
        if saved is not None:
            default = " (the default)" if saved == DEFAULT_MIX else ""
            await tell(
                interaction,
                f"Daily challenges now follow `{saved.describe()}`{default}. Days already "
                "chosen keep their task; a day without a published task of its difficulty "
                "gets any.",
            )

    @app_commands.command(name="moderator-role", description="Members with this role moderate.")
    @app_commands.describe(role="The role whose members may use /mod")
    async def moderator_role(self, interaction: discord.Interaction, role: discord.Role) -> None:
        """Let members with `role` use the moderator commands."""
        guild_id = role.guild.id
        saved = await self.configure(
            interaction, lambda session: set_moderator_role(session, guild_id, role.id)
        )
        if saved is not None:
            await tell(
                interaction,
                f"Members with {role.mention} can now use /mod. So that Discord shows it to "
                "them, allow /mod for that role in Server Settings → Integrations.",
            )

    @app_commands.command(name="announce", description="Announce first solves in the channel.")
    @app_commands.describe(enabled="Whether first solves are announced")
    async def announce(self, interaction: discord.Interaction, enabled: bool) -> None:
        """Turn the public one-line solve announcements on or off."""
        guild_id = guild_id_of(interaction)
        saved = await self.configure(
            interaction, lambda session: set_announce_solves(session, guild_id, enabled)
        )
        if saved is not None:
            await tell(interaction, f"Solve announcements are {'on' if enabled else 'off'}.")

    @app_commands.command(
        name="ping-role", description="The role the daily post pings; learners take it themselves."
    )
    @app_commands.describe(
        role="A role without permissions, below mine; leave out (and create) to ping nobody",
        create=f'Create a "{PING_ROLE_NAME}" role for it',
    )
    async def ping_role(
        self,
        interaction: discord.Interaction,
        role: discord.Role | None = None,
        create: bool = False,
    ) -> None:
        """Set, create or clear the role the daily post pings; learners give it to themselves
        with the button on the post."""
        guild = interaction.guild
        assert guild is not None
        if role is not None and create:
            await tell(interaction, "Give a role or `create:True`, not both.")
            return
        if create:
            role = await self._create_ping_role(interaction, guild)
            if role is None:
                return
        elif role is not None and (problem := ping_role_problem(role)) is not None:
            await tell(interaction, f"I cannot give out {role.mention} as ping role: {problem}.")
            return
        role_id = role.id if role is not None else None
        saved = await self.configure(
            interaction, lambda session: set_ping_role(session, guild.id, role_id)
        )
        if saved is None:
            return
        if role is None:
            await tell(interaction, "The daily post pings nobody now, and shows no ping button.")
            return
        warning = ""
        if not role.mentionable and not guild.me.guild_permissions.mention_everyone:
            warning = (
                "\n⚠️ The role is not mentionable and I lack **Mention Everyone**, so the post "
                "names it without pinging: allow anyone to @mention it in the role's settings."
            )
        await tell(
            interaction,
            f"The daily post will ping {role.mention}. Learners take it (or drop it) with the "
            f"🔔 button on the post.{warning}",
        )

    async def _create_ping_role(
        self, interaction: discord.Interaction, guild: discord.Guild
    ) -> discord.Role | None:
        """A new mentionable role without permissions, or None (moderator told why not)."""
        async with self.services.sessions() as session:
            current = guild.get_role(await ping_role_of(session, guild.id) or 0)
        if current is not None:
            await tell(
                interaction,
                f"The ping role is already {current.mention}. To replace it, name another role, "
                "or leave both options out to clear it first.",
            )
            return None
        if not guild.me.guild_permissions.manage_roles:
            await tell(interaction, "I need the **Manage Roles** permission to create the role.")
            return None
        try:
            role = await guild.create_role(
                name=PING_ROLE_NAME,
                permissions=discord.Permissions.none(),
                mentionable=True,
                reason=f"Ping role for the daily challenge, asked by {interaction.user}",
            )
        except discord.HTTPException as error:
            await tell(interaction, f"Discord refused to create the role: {error.text or error}.")
            return None
        problem = ping_role_problem(role)
        if problem is not None:
            await tell(interaction, f"I created {role.mention}, but cannot hand it out: {problem}.")
            return None
        return role
