"""Finding and creating learners, and remembering which servers they were seen in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import GuildMember, GuildSettings, User
from core.scores import Score, read_score
from core.timezones import zone_or_default


async def learner_for_discord(
    session: AsyncSession, discord_id: int, name: str, guild_id: int | None = None
) -> User:
    """The learner behind a Discord account, created on first contact; the name is refreshed.

    Safe when two first contacts race: the unique Discord id decides and the loser re-reads.
    """
    user = await session.scalar(select(User).where(User.discord_id == discord_id))
    if user is None:
        try:
            async with session.begin_nested():
                user = User(discord_id=discord_id, discord_name=name, display_name=name[:64])
                session.add(user)
        except IntegrityError:
            # created by a concurrent request; a locking read sees past our snapshot
            user = await session.scalar(
                select(User).where(User.discord_id == discord_id).with_for_update(read=True)
            )
            assert user is not None
    elif user.discord_name != name:
        user.discord_name = name
    if guild_id is not None:
        await remember_member(session, guild_id, user.id)
    return user


async def known_learner(session: AsyncSession, discord_id: int) -> int | None:
    """The id of the learner behind a Discord account, None before their first contact; a
    read only, for answers that must come quickly and create nothing (a code box)."""
    return await session.scalar(select(User.id).where(User.discord_id == discord_id))


async def remember_member(session: AsyncSession, guild_id: int, user_id: int) -> None:
    """Record that a learner belongs to a server (for server leaderboards); idempotent.

    A new membership's boards start from the learner's global score: nothing was earned with
    the server's own tasks yet.
    """
    if await session.get(GuildMember, (guild_id, user_id)) is not None:
        return
    score = await read_score(session, user_id) or Score()
    try:
        async with session.begin_nested():
            session.add(
                GuildMember(
                    guild_id=guild_id,
                    user_id=user_id,
                    points=score.points,
                    week_start=score.week_start,
                    week_points=score.week_points,
                )
            )
    except IntegrityError:
        pass  # recorded by a concurrent request


def first_server_timezone(user_id: Any) -> Any:
    """The time zone set for the first server a learner was seen in, as a scalar subquery
    (NULL without a server or a time zone: count in UTC). `user_id` may be a column."""
    return (
        select(GuildSettings.timezone)
        .select_from(GuildMember)
        .outerjoin(GuildSettings, GuildSettings.guild_id == GuildMember.guild_id)
        .where(GuildMember.user_id == user_id)
        .order_by(GuildMember.first_seen_at, GuildMember.guild_id)
        .limit(1)
        .scalar_subquery()
    )


def own_or_first_server_zone() -> Any:
    """The learner's own time zone, else that of the first server they were seen in, as an
    expression over the learner's row in `users` (NULL: UTC)."""
    return func.coalesce(User.timezone, first_server_timezone(User.id))


async def learner_zone(session: AsyncSession, user_id: int, guild_id: int | None = None) -> str:
    """The time zone a learner's days are counted in (`core.timezones.ZONE_RULE`): their own
    zone, else that of the server `guild_id` (when given: where they act), else of the first
    server they were seen in, else UTC."""
    if guild_id is None:
        zone = own_or_first_server_zone()
    else:
        server = select(GuildSettings.timezone).where(GuildSettings.guild_id == guild_id)
        zone = func.coalesce(User.timezone, server.scalar_subquery())
    return zone_or_default(await session.scalar(select(zone).where(User.id == user_id)))
