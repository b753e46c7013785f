"""The daily challenge of each server: chosen once per date, rotating without repeats."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import DailyPost, Task, utcnow


class NoPublishedTasks(LookupError):
    """There is nothing to post: publish a task first."""


def _shuffle_key(guild_id: int, cycle: int, slug: str) -> str:
    return hashlib.sha256(f"{guild_id}:{cycle}:{slug}".encode()).hexdigest()


async def _choose(session: AsyncSession, guild_id: int) -> Task:
    """The next task for a server: unused in the current cycle, in a per-server random order."""
    published = {
        t.id: t for t in await session.scalars(select(Task).where(Task.published.is_(True)))
    }
    if not published:
        raise NoPublishedTasks("no published task to choose a daily challenge from")
    used: set[int] = set()
    cycle = 0
    history = await session.scalars(
        select(DailyPost.task_id).where(DailyPost.guild_id == guild_id).order_by(DailyPost.day)
    )
    for task_id in history:
        used.add(task_id)
        if published.keys() <= used:
            used.clear()
            cycle += 1
    remaining = [t for task_id, t in published.items() if task_id not in used]
    return min(remaining, key=lambda t: _shuffle_key(guild_id, cycle, t.slug))


async def daily_for(session: AsyncSession, guild_id: int, day: date) -> DailyPost:
    """The daily challenge of a server on a date, chosen and recorded on first request.

    Asking again for the same date gives the same task, even when two processes ask at once.
    """
    existing = await find_daily(session, guild_id, day)
    if existing is not None:
        return existing
    task = await _choose(session, guild_id)
    try:
        async with session.begin_nested():
            post = DailyPost(guild_id=guild_id, day=day, task_id=task.id)
            session.add(post)
        return post
    except IntegrityError:
        found = await find_daily(session, guild_id, day, latest=True)
        assert found is not None
        return found


async def find_daily(
    session: AsyncSession, guild_id: int, day: date, latest: bool = False
) -> DailyPost | None:
    """The daily challenge recorded for a server and date, if any.

    `latest` reads past the transaction's snapshot (a locking read on MySQL), to see a row that
    a concurrent transaction has just committed.
    """
    query = select(DailyPost).where(DailyPost.guild_id == guild_id, DailyPost.day == day)
    if latest:
        query = query.with_for_update(read=True)
    return await session.scalar(query)


def mark_posted(post: DailyPost, message_id: int, when: datetime | None = None) -> None:
    """Record that the daily challenge message was sent."""
    post.message_id = message_id
    post.posted_at = when or utcnow()
