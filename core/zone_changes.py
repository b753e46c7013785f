"""A learner choosing their own time zone, rationed so that hopping zones cannot manufacture
streak days: at most one change per `core.timezones.ZONE_CHANGE_INTERVAL`.

The change is written under the lock on the learner's row, the one the award takes, so that a
submission completing meanwhile counts its day wholly in the old zone or wholly in the new one,
and two racing changes cannot both pass the ration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.learners import learner_zone
from core.models import User
from core.timezones import SERVER_ZONE, next_zone_change, parse_zone


class ZoneChangeStatus(StrEnum):
    """What became of a request to change a learner's zone."""

    #: their own zone is now the requested one
    CHANGED = "changed"
    #: they follow the server's zone again
    CLEARED = "cleared"
    #: they asked for the zone they already had: nothing written, nothing rationed
    UNCHANGED = "unchanged"
    #: they changed it too recently: nothing written
    TOO_SOON = "too_soon"


@dataclass(frozen=True, slots=True)
class ZoneChange:
    """The outcome of a request to change a learner's zone."""

    status: ZoneChangeStatus
    #: the zone the learner chose themselves, after the request (None: the server's)
    own_zone: str | None
    #: the zone their days follow now where they asked (`core.timezones.ZONE_RULE`)
    zone: str
    #: when they may change it next (None: now)
    next_change: datetime | None


async def change_zone(
    session: AsyncSession, user_id: int, requested: str, *, guild_id: int | None, now: datetime
) -> ZoneChange:
    """Set the learner's own zone to `requested` (an IANA name, a whole-hour offset, or
    `SERVER_ZONE` to follow the server's zone again), unless they changed it within the
    interval; `guild_id` is where they asked, whose zone they follow without their own.

    Raises `core.timezones.UnknownZone` before anything is written; setting the zone they
    already have changes nothing and does not count as a change.
    """
    wanted = None if requested.strip().lower() == SERVER_ZONE else parse_zone(requested)
    row = (
        await session.execute(
            select(User.timezone, User.timezone_changed_at)
            .where(User.id == user_id)
            .with_for_update()
        )
    ).one()
    allowed_at = next_zone_change(row.timezone_changed_at)
    if wanted == row.timezone:
        status = ZoneChangeStatus.UNCHANGED
    elif allowed_at is not None and now < allowed_at:
        status = ZoneChangeStatus.TOO_SOON
    else:
        await session.execute(
            update(User).where(User.id == user_id).values(timezone=wanted, timezone_changed_at=now)
        )
        status = ZoneChangeStatus.CHANGED if wanted else ZoneChangeStatus.CLEARED
        allowed_at = next_zone_change(now)
    own = row.timezone if status is ZoneChangeStatus.TOO_SOON else wanted
    zone = await learner_zone(session, user_id, guild_id)
    return ZoneChange(status, own, zone, allowed_at if allowed_at and allowed_at > now else None)
