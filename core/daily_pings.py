"""The role a server's daily post pings: learners give it to themselves to be told of each post."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.guilds import guild_settings
from core.models import GuildSettings

#: the name of the ping role the bot creates when a moderator asks it to
PING_ROLE_NAME = "Daily challenge"


async def set_ping_role(session: AsyncSession, guild_id: int, role_id: int | None) -> GuildSettings:
    """Ping `role_id` with every daily post of the server; None pings nobody."""
    settings = await guild_settings(session, guild_id)
    settings.ping_role_id = role_id
    return settings


async def ping_role_of(session: AsyncSession, guild_id: int) -> int | None:
    """The role the server's daily post pings, if any."""
    settings = await session.get(GuildSettings, guild_id)
    return settings.ping_role_id if settings is not None else None
