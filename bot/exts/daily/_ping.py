"""The ping role: a button on every daily post that gives (or takes back) the server's ping
role to whoever presses it, and the check that the bot can hand that role out.

The button's custom id names the server, and discord.py matches it to `PingButton` whenever it
is pressed, so it works on old posts and after restarts, with no view kept in memory.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.moderators import report_to_moderators
from bot.replies import SafeView, report_failure, tell
from bot.roles import unfit_reason
from core.daily_pings import ping_role_of

if TYPE_CHECKING:
    from bot.client import CodestreakBot

logger = logging.getLogger(__name__)

PING_ROLE = "the ping role"
PING_ID_PREFIX = "codestreak:ping:"


def ping_role_problem(role: discord.Role) -> str | None:
    """Why the bot cannot hand `role` out as the ping role now, or None when it can."""
    if not role.guild.me.guild_permissions.manage_roles:
        return "I do not have the Manage Roles permission"
    return unfit_reason(role, PING_ROLE)


def ping_mentions(role: discord.Role | None) -> discord.AllowedMentions:
    """What a daily post may ping: the ping role and nothing else."""
    return discord.AllowedMentions(
        everyone=False, users=False, roles=[role] if role is not None else False
    )


class PingButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"{PING_ID_PREFIX}(?P<guild_id>[0-9]+)",
):
    """Gives or takes back the ping role of one server."""

    def __init__(self, guild_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Ping me / Stop pinging",
                emoji="🔔",
                style=discord.ButtonStyle.secondary,
                custom_id=f"{PING_ID_PREFIX}{guild_id}",
            )
        )
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PingButton:
        """The button that `match` names."""
        return cls(int(match["guild_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Toggle the ping role for the member who pressed, and tell them privately."""
        try:
            await self._toggle(interaction)
        except Exception as error:  # told briefly, logged in full
            await report_failure(interaction, error)

    async def _toggle(self, interaction: discord.Interaction) -> None:
        bot = cast("CodestreakBot", interaction.client)
        guild = interaction.guild
        member = interaction.user
        if guild is None or guild.id != self.guild_id or not isinstance(member, discord.Member):
            await tell(interaction, "This button works in its own server only.")
            return
        async with bot.services.sessions() as session:
            role_id = await ping_role_of(session, guild.id)
        role = guild.get_role(role_id) if role_id is not None else None
        if role is None:
            mentions = await bot.services.mentions.of(guild.id)
            await tell(
                interaction,
                "This server has no ping role for the daily challenge yet. Moderators can set "
                f"one with {mentions('mod ping-role')}.",
            )
            return
        had = role in member.roles
        problem = ping_role_problem(role)
        if problem is None:
            problem = await _toggle_role(member, role, had)
        if problem is not None:
            await report_to_moderators(
                bot,
                bot.services,
                guild,
                f"ping role {role.id}",
                f"Members cannot take the ping role **{role.name}**: {problem}.",
            )
            await tell(
                interaction,
                f"I cannot change your roles right now: {problem}. The moderators were told.",
            )
            return
        if had:
            await tell(interaction, f"🔕 Done: you will no longer be pinged ({role.mention}).")
        else:
            await tell(
                interaction,
                f"🔔 Done: you will be pinged ({role.mention}) when each daily challenge is "
                "posted. Press the button again to stop.",
            )


async def _toggle_role(member: discord.Member, role: discord.Role, had: bool) -> str | None:
    """Take `role` from `member` if they `had` it, else give it; why Discord refused, or None."""
    try:
        if had:
            await member.remove_roles(role, reason="Asked not to be pinged for the daily challenge")
        else:
            await member.add_roles(role, reason="Asked to be pinged for the daily challenge")
    except discord.HTTPException as error:
        logger.warning("cannot toggle ping role %s in %s: %s", role.id, role.guild.id, error)
        return f"Discord refused ({error.text or error.status})"
    return None


def ping_view(guild_id: int) -> discord.ui.View:
    """The daily post's ping button; sent detached, since `PingButton` answers every press."""
    view = SafeView(timeout=None)
    view.add_item(PingButton(guild_id))
    view.stop()  # a finished view is not stored by discord.py: nothing to time out or lose
    return view
