"""Streak reminders: one nudge a day, before a learner's day ends, while their streak is alive
and the day does not count yet.

A learner who opted in (`User.reminders`) is due at `User.reminder_time` on their local day (in
their own zone, else their first server's, else UTC) when their streak is alive that day, the
day is not yet counted, and no reminder of that day was sent. Due reminders are found in one
query over the opted-in learners; the zones are applied here.

Every bot process looks for due reminders, so each is claimed before it is sent, like a daily
post: a `StreakReminder` row per learner and day, inserted by the first claimant or taken over
once an earlier claim's lease ran out (its process crashed). Of processes racing for one, the
database lets exactly one win. `sent_at` is written after delivery, ending the claim for good:
a sent reminder is never due again, and a day has at most one. `core.reminder_settings` holds
what learners choose with `/remind`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.guilds import today_for
from core.learners import own_or_first_server_zone
from core.models import DailyPost, GuildMember, StreakReminder, Task, User
from core.streaks import StreakState, effective_current, local_day
from core.timezones import zone_or_default

#: how long a claim on a reminder holds: far longer than sending a DM takes, short enough that
#: a reminder whose sender crashed still goes out well before the learner's day ends
REMINDER_LEASE = timedelta(minutes=5)


class Attempt(StrEnum):
    """A claimed reminder's attempt: the first, or again after one that ended unrecorded
    (released, or its process crashed, perhaps after sending: look before sending again)."""

    FIRST = "first"
    AGAIN = "again"


def _first_server(user_id: Any) -> Any:
    """The first server a learner was seen in, as a scalar subquery (NULL: none).
    `user_id` may be a column."""
    return (
        select(GuildMember.guild_id)
        .where(GuildMember.user_id == user_id)
        .order_by(GuildMember.first_seen_at, GuildMember.guild_id)
        .limit(1)
        .scalar_subquery()
    )


def last_reminded(user_id: Any) -> Any:
    """The latest local day a learner was reminded on (NULL: never)."""
    return (
        select(func.max(StreakReminder.day))
        .where(StreakReminder.user_id == user_id, StreakReminder.sent_at.is_not(None))
        .scalar_subquery()
    )


#: opted-in learners reachable on Discord, with what decides whether and when they are due.
#: Read through `ix_users_reminders`: `= true` (MariaDB cannot use the index for `IS true`),
#: and no condition on the streak, which would tempt SQLite into the streak's index instead.
OPTED_IN = select(
    User.id,
    User.discord_id,
    User.reminder_time,
    User.current_streak,
    User.best_streak,
    User.last_active_day,
    User.streak_freezes,
    own_or_first_server_zone().label("zone"),
    _first_server(User.id).label("guild_id"),
    last_reminded(User.id).label("reminded_day"),
).where(User.reminders == true(), User.discord_id.is_not(None))


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A learner to remind now, on their local `day`."""

    user_id: int
    discord_id: int
    day: date
    #: the streak as it stands today (alive, so at least 1)
    streak: int
    #: when the learner's day began (UTC): a reminder sent since then was today's
    day_starts: datetime
    #: when the learner's day ends (UTC): the streak needs a counting solve before then
    day_ends: datetime
    #: the first server the learner was seen in: its daily challenge and thread (None: none)
    guild_id: int | None


def at_local(day: date, moment: time, zone: str) -> datetime:
    """The UTC instant of `moment` on `day` in `zone`."""
    return datetime.combine(day, moment, ZoneInfo(zone)).astimezone(UTC)


def day_end(day: date, zone: str) -> datetime:
    """The UTC instant a local day ends (the next day's midnight)."""
    return at_local(day + timedelta(days=1), time(0), zone)


def streak_of(row: Any) -> StreakState:
    """The streak state in a row with the learner's streak columns."""
    return StreakState(row.current_streak, row.best_streak, row.last_active_day, row.streak_freezes)


def _due(row: Any, now: datetime) -> DueReminder | None:
    """The reminder of one opted-in learner's row when it is due at `now`."""
    zone = zone_or_default(row.zone)
    today = local_day(now, zone)
    streak = effective_current(streak_of(row), today)
    if streak <= 0 or row.last_active_day == today:
        return None
    if row.reminded_day is not None and row.reminded_day >= today:
        return None
    if now < at_local(today, row.reminder_time, zone):
        return None
    return DueReminder(
        row.id,
        row.discord_id,
        today,
        streak,
        at_local(today, time(0), zone),
        day_end(today, zone),
        row.guild_id,
    )


async def due_reminders(session: AsyncSession, now: datetime) -> list[DueReminder]:
    """Every reminder due at `now` and not yet sent (claimed ones included: claiming decides)."""
    rows = await session.execute(OPTED_IN)
    return [due for row in rows if (due := _due(row, now)) is not None]


async def claim_reminder(
    session: AsyncSession,
    user_id: int,
    day: date,
    claimant: str,
    now: datetime,
    lease: timedelta = REMINDER_LEASE,
) -> Attempt | None:
    """Claim a learner's reminder of `day` for `claimant` until `now + lease`: which attempt
    this is, or None when another process holds or sent it. Commit the claim before sending;
    `record_reminded` or `release_reminder` ends it.

    The first claimant inserts the day's row (the unique learner and day let one insert win);
    later ones take it over in one conditional UPDATE, only while it is unsent and its claim
    expired. A row is never updated after a failed insert in the same transaction, which
    would deadlock racing claimants on MariaDB.
    """
    reminder_id = await session.scalar(
        select(StreakReminder.id).where(
            StreakReminder.user_id == user_id, StreakReminder.day == day
        )
    )
    until = now + lease
    if reminder_id is None:
        try:
            async with session.begin_nested():
                session.add(
                    StreakReminder(
                        user_id=user_id, day=day, claimed_by=claimant, claimed_until=until
                    )
                )
        except IntegrityError:
            return None  # inserted, and so claimed, by a racing process just now
        return Attempt.FIRST
    connection = await session.connection()
    claimed = await connection.execute(
        update(StreakReminder)
        .where(
            StreakReminder.id == reminder_id,
            StreakReminder.sent_at.is_(None),
            or_(StreakReminder.claimed_until.is_(None), StreakReminder.claimed_until <= now),
        )
        .values(claimed_by=claimant, claimed_until=until)
    )
    return Attempt.AGAIN if claimed.rowcount == 1 else None


async def record_reminded(
    session: AsyncSession, user_id: int, day: date, claimant: str, when: datetime
) -> None:
    """Record that `claimant` delivered (or gave up delivering) the reminder of `day`, ending
    its claim; an earlier record is never overwritten."""
    connection = await session.connection()
    await connection.execute(
        update(StreakReminder)
        .where(
            StreakReminder.user_id == user_id,
            StreakReminder.day == day,
            StreakReminder.sent_at.is_(None),
        )
        .values(sent_at=when, claimed_by=None, claimed_until=None)
    )


async def release_reminder(session: AsyncSession, user_id: int, day: date, claimant: str) -> None:
    """End `claimant`'s claim on a reminder it could not send, so it is due again at once."""
    connection = await session.connection()
    await connection.execute(
        update(StreakReminder)
        .where(
            StreakReminder.user_id == user_id,
            StreakReminder.day == day,
            StreakReminder.claimed_by == claimant,
            StreakReminder.sent_at.is_(None),
        )
        .values(claimed_by=None, claimed_until=None)
    )


@dataclass(frozen=True, slots=True)
class ServerDaily:
    """A server's posted daily challenge of its current day, for a reminder to point at."""

    slug: str
    title: str
    #: the day's discussion thread (created from the post, so it has the post's id)
    thread_id: int


async def todays_daily(session: AsyncSession, guild_id: int, now: datetime) -> ServerDaily | None:
    """The daily challenge a server posted for its local day of `now`; None when it has not
    posted one (nothing is chosen here)."""
    day = await today_for(session, guild_id, now)
    row = (
        await session.execute(
            select(Task.slug, Task.title, DailyPost.message_id)
            .join(Task, Task.id == DailyPost.task_id)
            .where(
                DailyPost.guild_id == guild_id,
                DailyPost.day == day,
                DailyPost.skipped.is_(False),
                DailyPost.message_id.is_not(None),
            )
        )
    ).one_or_none()
    if row is None:
        return None
    return ServerDaily(row.slug, row.title, row.message_id)
