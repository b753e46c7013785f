"""The daily challenge of each server: chosen once per date, rotating without repeats.

A server's challenge is drawn from what its learners see: the published tasks of the shared
catalogue and the server's own. Moderators may choose the task of a day ahead of time, or skip a
day; a skipped day keeps its row (and the task it would have had, should they un-skip it) but is
never due, never posted, and is nobody's daily challenge (no daily bonus, no daily achievement).
Once a day's challenge is posted it no longer changes. Each day's task has the difficulty the
server's daily mix gives that day (see `core.daily_mix`).

Several bot processes may hold one server (two shards' processes during a restart, or a
mistake in the shard ranges): each claims the day's post with a lease before sending, and only
the one whose claim succeeded sends it. The claim ends when the post is recorded or released;
a process that crashed while holding one leaves it to expire.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.catalog import audience_of, find_visible_task, visible_tasks
from core.daily_mix import stored_mix
from core.models import DailyPost, GuildSettings, Task, utcnow

#: how long a claim on a daily post holds: far longer than sending a post takes, short enough
#: that the post of a process that crashed while holding it is made soon after by another
DAILY_POST_LEASE = timedelta(minutes=5)


class NoDailyChallenge(LookupError):
    """A server has no daily challenge on a date; the message says why."""


class NoPublishedTasks(NoDailyChallenge):
    """There is nothing to post: publish a task first."""


class DaySkipped(NoDailyChallenge):
    """Moderators skipped the day: it has no challenge."""


class DailyRefused(ValueError):
    """A moderator's choice for a day was refused; the message says why and what to do."""


def _shuffle_key(guild_id: int, cycle: int, slug: str) -> str:
    return hashlib.sha256(f"{guild_id}:{cycle}:{slug}".encode()).hexdigest()


async def _choose(session: AsyncSession, guild_id: int, day: date) -> Task:
    """The next task for a server: one its learners see, of the difficulty the server's daily
    mix gives the day (any when it has none of it), unused in the current cycle of tasks of
    that difficulty, in a per-server random order. Skipped days used nothing."""
    visible = list(await session.scalars(visible_tasks(audience_of(guild_id))))
    if not visible:
        raise NoPublishedTasks("no published task to choose a daily challenge from")
    mix = stored_mix(
        await session.scalar(
            select(GuildSettings.daily_mix).where(GuildSettings.guild_id == guild_id)
        )
    )
    wanted = mix.difficulty_on(day, guild_id)
    published = {t.id: t for t in visible if t.difficulty == wanted} or {t.id: t for t in visible}
    used: set[int] = set()
    cycle = 0
    history = await session.scalars(
        select(DailyPost.task_id)
        .where(DailyPost.guild_id == guild_id, DailyPost.skipped.is_(False))
        .order_by(DailyPost.day)
    )
    for task_id in history:
        if task_id not in published:
            continue
        used.add(task_id)
        if published.keys() <= used:
            used.clear()
            cycle += 1
    remaining = [t for task_id, t in published.items() if task_id not in used]
    return min(remaining, key=lambda t: _shuffle_key(guild_id, cycle, t.slug))


async def upcoming_daily(session: AsyncSession, guild_id: int, day: date) -> DailyPost:
    """The post of a server's day as recorded, skipped or not, or chosen and recorded now: what
    moderators preview. Asking again gives the same task, even when two processes ask at once.

    Raises NoPublishedTasks when there is nothing to choose from.
    """
    existing = await find_daily(session, guild_id, day)
    if existing is not None:
        return existing
    task = await _choose(session, guild_id, day)
    try:
        async with session.begin_nested():
            post = DailyPost(guild_id=guild_id, day=day, task_id=task.id)
            session.add(post)
        return post
    except IntegrityError:
        found = await find_daily(session, guild_id, day, latest=True)
        assert found is not None
        return found


async def daily_for(session: AsyncSession, guild_id: int, day: date) -> DailyPost:
    """The daily challenge of a server on a date, chosen and recorded on first request.

    Raises DaySkipped when moderators skipped the day, NoPublishedTasks when there is nothing to
    choose from (both are NoDailyChallenge).
    """
    post = await upcoming_daily(session, guild_id, day)
    if post.skipped:
        raise DaySkipped(f"the moderators skipped the daily challenge of {day.isoformat()}")
    return post


async def _unposted(session: AsyncSession, guild_id: int, day: date) -> DailyPost:
    """The day's post, recorded now when missing and locked for a change; DailyRefused once it
    is posted."""
    recorded = await upcoming_daily(session, guild_id, day)
    post = await session.get(DailyPost, recorded.id, with_for_update=True, populate_existing=True)
    assert post is not None
    if post.posted_at is not None:
        raise DailyRefused(
            f"The challenge of {day.isoformat()} is already posted, so it stays as it is. "
            "Choose a later day."
        )
    return post


async def choose_daily(session: AsyncSession, guild_id: int, day: date, slug: str) -> DailyPost:
    """Make the published task `slug` (as the server's learners resolve it) the server's
    challenge of `day`, un-skipping the day; in the caller's transaction.

    Raises DailyRefused when the server's learners cannot see that task or the day is posted.
    """
    task = await find_visible_task(session, slug, audience_of(guild_id))
    if task is None:
        raise DailyRefused(
            f"There is no published task '{slug}' in this server. Pick one from the list."
        )
    post = await _unposted(session, guild_id, day)
    post.task_id = task.id
    post.skipped = False
    return post


async def skip_daily(
    session: AsyncSession, guild_id: int, day: date, skip: bool = True
) -> DailyPost:
    """Give the server no challenge on `day` (or, with `skip=False`, give it one again), in the
    caller's transaction. The day keeps the task it would have had, for un-skipping.

    Raises DailyRefused when the day is posted or no task is published at all.
    """
    try:
        post = await _unposted(session, guild_id, day)
    except NoPublishedTasks as error:
        raise DailyRefused(
            "There is no published task for this server yet, so that day has no challenge to "
            "skip or restore."
        ) from error
    post.skipped = skip
    return post


async def find_daily(
    session: AsyncSession, guild_id: int, day: date, latest: bool = False
) -> DailyPost | None:
    """The daily post recorded for a server and date (skipped or not), if any.

    `latest` reads past the transaction's snapshot (a locking read on MySQL), to see a row that
    a concurrent transaction has just committed.
    """
    query = select(DailyPost).where(DailyPost.guild_id == guild_id, DailyPost.day == day)
    if latest:
        query = query.with_for_update(read=True)
    return await session.scalar(query)


def mark_posted(post: DailyPost, message_id: int, when: datetime | None = None) -> None:
    """Record that the daily challenge message was sent, ending any claim on it."""
    post.message_id = message_id
    post.posted_at = when or utcnow()
    post.claimed_by = None
    post.claimed_until = None


async def claim_daily(
    session: AsyncSession,
    post_id: int,
    claimant: str,
    now: datetime,
    lease: timedelta = DAILY_POST_LEASE,
) -> bool:
    """Claim a daily post for `claimant` to send until `now + lease`; whether it was claimed.

    It is claimed only while unposted, not skipped and not held by an unexpired claim, in one
    conditional UPDATE: of processes racing for it the database lets exactly one succeed. Commit
    the claim before sending; `mark_posted` or `release_daily` ends it.
    """
    connection = await session.connection()
    claimed = await connection.execute(
        update(DailyPost)
        .where(
            DailyPost.id == post_id,
            DailyPost.posted_at.is_(None),
            DailyPost.skipped.is_(False),
            or_(DailyPost.claimed_until.is_(None), DailyPost.claimed_until <= now),
        )
        .values(claimed_by=claimant, claimed_until=now + lease)
    )
    return claimed.rowcount == 1


async def release_daily(session: AsyncSession, post_id: int, claimant: str) -> None:
    """End `claimant`'s claim on a daily post it could not send, so it is due again at once."""
    connection = await session.connection()
    await connection.execute(
        update(DailyPost)
        .where(DailyPost.id == post_id, DailyPost.claimed_by == claimant)
        .values(claimed_by=None, claimed_until=None)
    )
