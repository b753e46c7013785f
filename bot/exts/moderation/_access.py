"""Who is a moderator: Manage Server, or the server's configured moderator role."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.services import Services
from core.guilds import find_guild_settings

if TYPE_CHECKING:
    from bot.client import CodestreakBot

REFUSAL = (
    "Only moderators can use /mod: you need the Manage Server permission or this server's "
    "moderator role."
)


class NotModerator(app_commands.CheckFailure):
    """The member may not use moderator commands."""


async def is_moderator(services: Services, interaction: discord.Interaction) -> bool:
    """True for members with Manage Server or the configured moderator role."""
    member = interaction.user
    if interaction.guild_id is None or not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    async with services.sessions() as session:
        settings = await find_guild_settings(session, interaction.guild_id)
    role_id = settings.moderator_role_id if settings else None
    return role_id is not None and any(role.id == role_id for role in member.roles)


async def moderator_here(interaction: discord.Interaction[CodestreakBot]) -> bool:
    """`is_moderator` as an autocomplete check: discord.py skips `interaction_check` there."""
    return await is_moderator(interaction.client.services, interaction)


moderators_only = app_commands.check(moderator_here)
"""Answer an autocomplete with nothing unless the member is a moderator of that server."""
