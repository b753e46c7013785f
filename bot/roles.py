"""Giving learners the Discord roles of the achievements they unlocked."""

from __future__ import annotations

import logging

import discord

from bot.moderators import report_to_moderators
from bot.services import Services
from core.submissions.outcome import RoleGrant, SubmissionOutcome

logger = logging.getLogger(__name__)


def _why_refused(guild: discord.Guild, role: discord.Role) -> str:
    me = guild.me
    if not me.guild_permissions.manage_roles:
        return "I do not have the Manage Roles permission"
    if role >= me.top_role:
        return f"the role is not below my highest role ({me.top_role.name})"
    return "Discord refused the change"


def _find_role(guild: discord.Guild, grant: RoleGrant) -> discord.Role | None:
    if grant.role_id is not None:
        return guild.get_role(grant.role_id)
    return discord.utils.get(guild.roles, name=grant.role_name)


async def _member(guild: discord.Guild, user: discord.abc.User) -> discord.Member | None:
    if isinstance(user, discord.Member) and user.guild.id == guild.id:
        return user
    try:
        return guild.get_member(user.id) or await guild.fetch_member(user.id)
    except discord.HTTPException:
        return None


async def grant_roles(
    client: discord.Client,
    services: Services,
    user: discord.abc.User,
    outcome: SubmissionOutcome,
) -> list[str]:
    """Grant every role the outcome's achievements carry; notes for the learner on failures.

    A refusal is reported to the server's moderators and logged; it never loses the result.
    """
    notes = []
    for achievement in outcome.achievements:
        for grant in achievement.grants:
            guild = client.get_guild(grant.guild_id)
            if guild is None:
                continue  # a server this bot process does not serve
            role = _find_role(guild, grant)
            if role is None:
                logger.info("server %s has no role for %s", guild.id, achievement.slug)
                continue
            member = await _member(guild, user)
            if member is None or role in member.roles:
                continue
            try:
                await member.add_roles(role, reason=f"Achievement unlocked: {achievement.name}")
            except discord.HTTPException as error:
                why = _why_refused(guild, role)
                logger.warning("cannot grant %s in %s: %s (%s)", role.id, guild.id, why, error)
                await report_to_moderators(
                    client,
                    services,
                    guild,
                    f"I could not give {member.mention} the role **{role.name}** for the "
                    f"achievement **{achievement.name}**: {why}.",
                )
                notes.append(
                    f"The role **{role.name}** could not be given yet ({why}); "
                    "the moderators were told. Your achievement is saved."
                )
    return notes
