"""A server's whole configuration at a glance, as its moderators review it.

The settings themselves, the days ahead (when the next challenge is posted, whether tomorrow is
chosen or skipped) and the tasks the server curates: its own, or the shared catalogue for the
operator's home servers.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.daily import find_daily
from core.guilds import guild_settings, local_now
from core.models import GLOBAL_CATALOGUE, GuildSettings, Task
from core.moderators import catalogue_of
from core.timezones import zone_or_default

#: how many days ahead the next post is looked for (past days the moderators skipped)
LOOKAHEAD_DAYS = 8
#: how many published task titles the overview names
NAMED_TASKS = 10


class DayState(StrEnum):
    """What is settled about one server's day."""

    OPEN = "open"  # the task is drawn when the challenge is posted
    CHOSEN = "chosen"  # the task is recorded (chosen by a moderator or drawn ahead)
    SKIPPED = "skipped"
    POSTED = "posted"


@dataclass(frozen=True, slots=True)
class PlannedDay:
    """One server day: when its challenge is posted, what is settled and the task if known."""

    day: date
    at: datetime
    state: DayState
    task_slug: str | None
    task_title: str | None


@dataclass(frozen=True, slots=True)
class CuratedTasks:
    """The tasks a server's moderators curate: how many, and the published ones' titles."""

    owner: int
    total: int
    published: int
    published_titles: tuple[str, ...]

    @property
    def shared(self) -> bool:
        """Whether these are the shared catalogue (the server is one of the operator's)."""
        return self.owner == GLOBAL_CATALOGUE


@dataclass(frozen=True, slots=True)
class ServerOverview:
    """Everything `/mod settings` shows."""

    settings: GuildSettings
    next_post: PlannedDay | None
    tomorrow: PlannedDay
    tasks: CuratedTasks


def post_moment(settings: GuildSettings, day: date) -> datetime:
    """When the challenge of the server's local `day` is due, in UTC."""
    zone = ZoneInfo(zone_or_default(settings.timezone))
    return datetime.combine(day, settings.post_time, tzinfo=zone).astimezone(UTC)


async def planned_day(session: AsyncSession, settings: GuildSettings, day: date) -> PlannedDay:
    """What is settled about the server's `day`, without choosing anything."""
    post = await find_daily(session, settings.guild_id, day)
    task = await session.get(Task, post.task_id) if post is not None else None
    if post is None:
        state = DayState.OPEN
    elif post.skipped:
        state = DayState.SKIPPED
    elif post.posted_at is not None:
        state = DayState.POSTED
    else:
        state = DayState.CHOSEN
    return PlannedDay(
        day,
        post_moment(settings, day),
        state,
        task.slug if task else None,
        task.title if task else None,
    )


async def next_post(
    session: AsyncSession, settings: GuildSettings, now: datetime
) -> PlannedDay | None:
    """The next challenge the server will get (today's when it is not posted yet), past skipped
    days; None without a challenge channel or when every day ahead is skipped."""
    if settings.challenge_channel_id is None:
        return None
    today = local_now(settings, now).date()
    for offset in range(LOOKAHEAD_DAYS):
        plan = await planned_day(session, settings, today + timedelta(days=offset))
        if plan.state in (DayState.OPEN, DayState.CHOSEN):
            return plan
    return None


async def curated_tasks(session: AsyncSession, owner: int) -> CuratedTasks:
    """How many tasks `owner` has, and the titles of the published ones (first few)."""
    total = await session.scalar(
        select(func.count()).select_from(Task).where(Task.owner_guild_id == owner)
    )
    published = select(Task.title).where(Task.owner_guild_id == owner, Task.published.is_(True))
    count = await session.scalar(select(func.count()).select_from(published.subquery()))
    titles = await session.scalars(published.order_by(Task.title).limit(NAMED_TASKS))
    return CuratedTasks(owner, int(total or 0), int(count or 0), tuple(titles))


async def server_overview(
    session: AsyncSession, guild_id: int, now: datetime, home_guild_ids: Collection[int]
) -> ServerOverview:
    """A server's configuration, its next posts and the tasks it curates (settings are created
    with the defaults when the server has none yet)."""
    settings = await guild_settings(session, guild_id)
    tomorrow = local_now(settings, now).date() + timedelta(days=1)
    return ServerOverview(
        settings,
        await next_post(session, settings, now),
        await planned_day(session, settings, tomorrow),
        await curated_tasks(session, catalogue_of(guild_id, home_guild_ids)),
    )
