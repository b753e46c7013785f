"""The Discord servers the site shows pages for, and which of them a learner belongs to.

A server is known once the bot saw it: it has settings, or members. A learner belongs to a
server through their linked Discord account: the bot recorded them there as a member. A site
account without a linked Discord account belongs to no server, whatever it earned before.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import GuildMember, GuildSettings, User

#: Discord ids are positive 64-bit numbers; anything else names no server
_LARGEST_ID = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Server:
    """A Discord server as pages name it."""

    guild_id: int
    name: str


def _named(guild_id: int, name: str | None) -> Server:
    return Server(guild_id, name or f"Server {guild_id}")


async def known_server(session: AsyncSession, guild_id: int) -> Server | None:
    """The server with this id if the bot ever saw it (settings or members), else None."""
    if not 0 < guild_id <= _LARGEST_ID:
        return None
    settings = await session.get(GuildSettings, guild_id)
    if settings is not None:
        return _named(guild_id, settings.name)
    seen = await session.scalar(select(exists().where(GuildMember.guild_id == guild_id)))
    return _named(guild_id, None) if seen else None


async def servers_of(session: AsyncSession, user: User) -> list[Server]:
    """The servers a learner belongs to through their linked Discord account, in the order
    they were first seen there; none without a linked Discord account."""
    if user.discord_id is None:
        return []
    rows = await session.execute(
        select(GuildMember.guild_id, GuildSettings.name)
        .outerjoin(GuildSettings, GuildSettings.guild_id == GuildMember.guild_id)
        .where(GuildMember.user_id == user.id)
        .order_by(GuildMember.first_seen_at, GuildMember.guild_id)
    )
    return [_named(guild_id, name) for guild_id, name in rows]


async def member_server(session: AsyncSession, user: User | None, guild_id: int) -> Server | None:
    """The server if `user` belongs to it through their linked Discord account, else None:
    visitors, other servers' learners and unknown servers all get None alike."""
    if user is None or user.discord_id is None or not 0 < guild_id <= _LARGEST_ID:
        return None
    member = await session.get(GuildMember, (guild_id, user.id))
    if member is None:
        return None
    settings = await session.get(GuildSettings, guild_id)
    return _named(guild_id, settings.name if settings else None)
