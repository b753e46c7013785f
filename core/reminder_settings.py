"""A learner's streak reminder settings, as `/remind` changes and shows them: on or off, the
time of day, the zone it is read in (and where that zone comes from) and the next reminder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.learners import first_server_timezone
from core.models import User
from core.reminders import at_local, last_reminded, streak_of
from core.streaks import effective_current, local_day
from core.timezones import zone_or_default


class ZoneSource(StrEnum):
    """Where the zone of a learner's reminders comes from."""

    OWN = "own"
    SERVER = "server"
    DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """A learner's reminder settings as `/remind` answers them."""

    enabled: bool
    at: time
    zone: str
    zone_source: ZoneSource
    #: the streak as it stands today (0: none to keep, so no reminder until there is one)
    streak: int
    #: when the next reminder would go out (UTC), given the streak lives on until then
    next_at: datetime


def _next_at(row: Any, zone: str, now: datetime) -> datetime:
    """The first reminder time after `now` on a day that is neither counted nor reminded."""
    today = local_day(now, zone)
    for day in (today, today + timedelta(days=1)):
        moment = at_local(day, row.reminder_time, zone)
        done = day in (row.last_active_day, row.reminded_day)
        if moment > now and not done:
            return moment
    return at_local(today + timedelta(days=2), row.reminder_time, zone)


#: one learner's reminder settings, streak, zone and where the zone comes from
_PLAN = select(
    User.reminders,
    User.reminder_time,
    User.current_streak,
    User.best_streak,
    User.last_active_day,
    User.streak_freezes,
    User.timezone,
    first_server_timezone(User.id).label("server_zone"),
    last_reminded(User.id).label("reminded_day"),
)


async def reminder_plan(session: AsyncSession, user_id: int, now: datetime) -> ReminderPlan:
    """A learner's reminder settings, the zone they are read in and the next reminder."""
    row = (await session.execute(_PLAN.where(User.id == user_id))).one()
    source = (
        ZoneSource.OWN
        if row.timezone
        else ZoneSource.SERVER
        if row.server_zone
        else ZoneSource.DEFAULT
    )
    zone = zone_or_default(row.timezone or row.server_zone)
    return ReminderPlan(
        enabled=row.reminders,
        at=row.reminder_time,
        zone=zone,
        zone_source=source,
        streak=effective_current(streak_of(row), local_day(now, zone)),
        next_at=_next_at(row, zone, now),
    )


async def set_reminders(
    session: AsyncSession,
    user_id: int,
    now: datetime,
    *,
    enabled: bool | None = None,
    at: time | None = None,
) -> ReminderPlan:
    """Turn a learner's reminders on or off and/or set their time (what is not given stays),
    in the caller's transaction; the settings as they are then."""
    learner = await session.get(User, user_id, with_for_update=True)
    if learner is None:
        raise LookupError(f"no learner {user_id}")
    if enabled is not None:
        learner.reminders = enabled
    if at is not None:
        learner.reminder_time = at
    await session.flush()
    return await reminder_plan(session, user_id, now)
