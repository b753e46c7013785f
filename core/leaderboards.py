"""Leaderboards: all-time points, this week's points and current streaks, per server or global.

Global boards rank what learners earned with the shared catalogue's tasks only. A server's boards
rank that plus what they earned with the server's own tasks (`board_columns`), so that a server
cannot raise anyone's standing elsewhere. Ties are broken by the learner's id (who joined first),
so the order is stable between calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import GLOBAL_CATALOGUE, GuildMember, ScoreCount, Solve, Task, User, utcnow
from core.public_names import public_name


class Period(StrEnum):
    """What a leaderboard ranks by."""

    ALL = "all"
    WEEK = "week"
    STREAK = "streak"

    @property
    def label(self) -> str:
        """The period as people read it."""
        return _LABELS[self]


_LABELS = {Period.ALL: "All time", Period.WEEK: "This week", Period.STREAK: "Streaks"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of a leaderboard."""

    rank: int
    user_id: int
    display_name: str
    discord_id: int | None
    value: int
    #: the learner made their profile public (see `core.public_names`)
    profile_public: bool = False

    @property
    def public_name(self) -> str:
        """The name the site shows everyone: the display name, or a pseudonym for a learner
        without a public profile."""
        return public_name(self.user_id, self.display_name, self.profile_public)


def week_start(now: datetime) -> datetime:
    """Monday 00:00 UTC of the week containing `now`: when weekly points start counting."""
    day = now.astimezone(UTC).date()
    return datetime.combine(day - timedelta(days=day.weekday()), time(), tzinfo=UTC)


def week_of(moment: datetime) -> date:
    """The Monday (UTC) of the week containing `moment`: weekly points are kept per week."""
    return week_start(moment).date()


def board_columns(points: Any, week: Any, week_points: Any) -> dict[str, Any]:
    """A membership's board columns (`points`, `week_start`, `week_points`) from the learner's
    global score, given as values or SQL expressions, plus what they earned with the server's
    own tasks (the membership's `local_*` columns): the one place that says what a server's
    boards rank.

    `week` is the current week (its Monday): local points of an earlier week no longer count.
    The statement using these must not also set the `local_*` columns (MySQL would read the new
    values, SQLite the old ones).
    """
    return {
        "points": points + GuildMember.local_points,
        "week_start": week,
        "week_points": week_points
        + case((GuildMember.local_week_start == week, GuildMember.local_week_points), else_=0),
    }


def solved_points(user_id: Any, owner: Any, since: datetime | None = None) -> Any:
    """The points of a learner's solves of one owner's tasks (`GLOBAL_CATALOGUE` or a server),
    since a moment when given, as a scalar subquery; `user_id` and `owner` may be columns."""
    query = (
        select(func.coalesce(func.sum(Solve.points_awarded), 0))
        .join(Task, Task.id == Solve.task_id)
        .where(Solve.user_id == user_id, Task.owner_guild_id == owner)
    )
    if since is not None:
        query = query.where(Solve.solved_at >= since)
    return query.scalar_subquery()


def local_week(now: datetime) -> dict[str, Any]:
    """A membership's local weekly columns recounted from the solves of the server's own tasks
    (to be written before `board_columns`, in a statement of their own)."""
    return {
        "local_week_start": week_of(now),
        "local_week_points": solved_points(
            GuildMember.user_id, GuildMember.guild_id, week_start(now)
        ),
    }


async def week_points_of(session: AsyncSession, user_id: int, now: datetime) -> tuple[date, int]:
    """A learner's (week, global weekly points) recounted from their solves (after merges)."""
    points = await session.scalar(select(solved_points(user_id, GLOBAL_CATALOGUE, week_start(now))))
    return week_of(now), int(points or 0)


async def recount_week_points(session: AsyncSession, now: datetime) -> None:
    """Rebuild every learner's weekly points from their solves of the shared catalogue's tasks,
    then every membership's local weekly points from the server's own tasks and its boards'
    mirror of both."""
    week = week_of(now)
    await session.execute(
        update(User).values(
            week_start=week,
            week_points=solved_points(User.id, GLOBAL_CATALOGUE, week_start(now)),
        )
    )
    await session.execute(update(GuildMember).values(**local_week(now)))
    member = User.id == GuildMember.user_id
    await session.execute(
        update(GuildMember).values(
            **board_columns(
                select(User.points).where(member).scalar_subquery(),
                week,
                select(User.week_points).where(member).scalar_subquery(),
            )
        )
    )


def _alive_streak(today: date) -> ColumnElement[bool]:
    """Learners whose streak can still continue today (see core.streaks.effective_current)."""
    return and_(
        User.current_streak > 0,
        or_(
            User.last_active_day >= today - timedelta(days=1),
            and_(User.last_active_day == today - timedelta(days=2), User.streak_freezes > 0),
        ),
    )


def _scores(period: Period, guild_id: int | None, now: datetime) -> Select[int, int]:
    """(user_id, value) for every ranked learner, unordered."""
    if period is Period.WEEK:
        # the weekly points mirrored on learners and memberships: one index range each
        if guild_id is not None:
            return select(
                GuildMember.user_id.label("user_id"), GuildMember.week_points.label("value")
            ).where(
                GuildMember.guild_id == guild_id,
                GuildMember.week_start == week_of(now),
                GuildMember.week_points > 0,
            )
        return select(User.id.label("user_id"), User.week_points.label("value")).where(
            User.week_start == week_of(now), User.week_points > 0
        )
    if period is Period.ALL and guild_id is not None:
        # the membership mirrors the points, so one index range serves a server's board
        return select(
            GuildMember.user_id.label("user_id"), GuildMember.points.label("value")
        ).where(GuildMember.guild_id == guild_id, GuildMember.points > 0)
    value = User.points if period is Period.ALL else User.current_streak
    condition = User.points > 0 if period is Period.ALL else _alive_streak(now.date())
    query: Select[int, int] = select(User.id.label("user_id"), value.label("value")).where(
        condition
    )
    if guild_id is not None:
        query = query.join(
            GuildMember, and_(GuildMember.user_id == User.id, GuildMember.guild_id == guild_id)
        )
    return query


@dataclass(frozen=True, slots=True)
class Mark:
    """Where a page of a board ended: its last entry's value and learner. The next page starts
    after it however many learners climb above in between (keyset paging)."""

    value: int
    user_id: int


def _after(scores: Any, mark: Mark) -> ColumnElement[bool]:
    """Entries that come after `mark` on a board, best first."""
    return or_(
        scores.c.value < mark.value,
        and_(scores.c.value == mark.value, scores.c.user_id > mark.user_id),
    )


async def _page(
    session: AsyncSession,
    period: Period,
    guild_id: int | None,
    now: datetime | None,
    limit: int,
    offset: int = 0,
    after: Mark | None = None,
) -> list[Entry]:
    """`limit` entries of a board, best first, skipping `offset` or starting after `after`."""
    scores = _scores(period, guild_id, now or utcnow()).subquery()
    query = (
        select(
            scores.c.user_id,
            scores.c.value,
            User.display_name,
            User.discord_id,
            User.profile_public,
        )
        .join(User, User.id == scores.c.user_id)
        .order_by(scores.c.value.desc(), scores.c.user_id)
        .limit(limit)
        .offset(offset)
    )
    first = offset + 1
    if after is not None:
        query = query.where(_after(scores, after))
        ahead = select(func.count()).select_from(scores).where(~_after(scores, after))
        first += int(await session.scalar(ahead) or 0)
    return [
        Entry(first + i, user_id, name, discord_id, int(value), public)
        for i, (user_id, value, name, discord_id, public) in enumerate(await session.execute(query))
    ]


async def top(
    session: AsyncSession,
    period: Period = Period.ALL,
    guild_id: int | None = None,
    limit: int = 10,
    offset: int = 0,
    now: datetime | None = None,
) -> list[Entry]:
    """One page of a leaderboard, best first."""
    return await _page(session, period, guild_id, now, limit, offset=offset)


async def top_after(
    session: AsyncSession,
    period: Period,
    after: Mark | None,
    limit: int = 10,
    guild_id: int | None = None,
    now: datetime | None = None,
) -> list[Entry]:
    """The page of a leaderboard that follows `after` (the first page for None), best first,
    ranked where they stand: for lists read page by page while learners climb, where offsets
    would skip or repeat."""
    return await _page(session, period, guild_id, now, limit, after=after)


async def recount_scores(session: AsyncSession) -> None:
    """Rebuild the score counts from the learners' points (after bulk changes)."""
    await session.execute(delete(ScoreCount))
    await session.execute(
        insert(ScoreCount).from_select(
            ["points", "learners"],
            select(User.points, func.count()).where(User.points > 0).group_by(User.points),
        )
    )


_GLOBAL_AHEAD = select(
    select(func.coalesce(func.sum(ScoreCount.learners), 0))
    .where(ScoreCount.points > bindparam("points"))
    .scalar_subquery(),
    select(func.count())
    .select_from(User)
    .where(User.points == bindparam("points"), User.id < bindparam("user_id"))
    .scalar_subquery(),
)


async def global_rank(
    session: AsyncSession,
    user_id: int,
    points: int,
    name: str,
    discord_id: int | None,
    profile_public: bool = False,
) -> Entry | None:
    """A learner's place on the global all-time board, from their known points: one query
    over the score counts. None without points (the board lists learners with points)."""
    if points <= 0:
        return None
    connection = await session.connection()
    higher, tied_earlier = (
        await connection.execute(_GLOBAL_AHEAD, {"points": points, "user_id": user_id})
    ).one()
    return Entry(
        int(higher) + int(tied_earlier) + 1, user_id, name, discord_id, points, profile_public
    )


async def rank_of(
    session: AsyncSession,
    user_id: int,
    period: Period = Period.ALL,
    guild_id: int | None = None,
    now: datetime | None = None,
) -> Entry | None:
    """A learner's place on a leaderboard, or None when they are not on it."""
    scores = _scores(period, guild_id, now or utcnow()).subquery()
    mine = (
        await session.execute(
            select(scores.c.value, User.display_name, User.discord_id, User.profile_public)
            .join(User, User.id == scores.c.user_id)
            .where(scores.c.user_id == user_id)
        )
    ).first()
    if mine is None:
        return None
    value, name, discord_id, public = mine
    if period is Period.ALL and guild_id is None:
        return await global_rank(session, user_id, int(value), name, discord_id, public)
    ahead = int(
        await session.scalar(
            select(func.count())
            .select_from(scores)
            .where(
                or_(
                    scores.c.value > value,
                    and_(scores.c.value == value, scores.c.user_id < user_id),
                )
            )
        )
        or 0
    )
    return Entry(ahead + 1, user_id, name, discord_id, int(value), public)
