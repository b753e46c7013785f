"""Telling a server's moderators about something they must fix."""

from __future__ import annotations

import logging

import discord

from bot.render.text import CONTENT_LIMIT, clip
from bot.services import Services
from core.guilds import find_guild_settings

logger = logging.getLogger(__name__)


async def report_to_moderators(
    client: discord.Client, services: Services, guild: discord.Guild, text: str
) -> bool:
    """Post `text` in the server's challenge channel; always logged. True when it was posted."""
    logger.warning("server %s: %s", guild.id, text)
    async with services.sessions() as session:
        settings = await find_guild_settings(session, guild.id)
    channel_id = settings.challenge_channel_id if settings else None
    channel = guild.get_channel(channel_id) if channel_id else None
    if not isinstance(channel, discord.TextChannel):
        return False
    try:
        await channel.send(clip(f"🛠️ Moderators: {text}", CONTENT_LIMIT))
    except discord.HTTPException as error:
        logger.warning("server %s: could not tell moderators: %s", guild.id, error)
        return False
    return True
