"""A learner's profile: totals, rank, streaks, solved tasks, achievements and history.

A profile is global: it shows the shared catalogue's tasks only, never a server's own tasks
(which count on that server's boards only and are not shown outside it). It is public only once
the learner opted in (`User.profile_public`); until then only they see it (`visible_learner`),
and everyone else gets the same answer as for a name nobody has (`public_learner`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from core.content.schema import Difficulty
from core.leaderboards import Entry, global_rank
from core.learners import learner_zone, own_or_first_server_zone
from core.models import (
    GLOBAL_CATALOGUE,
    Achievement,
    Solve,
    Submission,
    Task,
    User,
    UserAchievement,
    utcnow,
)
from core.models.base import UTCDateTime
from core.streaks import StreakState, effective_current, local_day
from core.submissions.differences import first_difference
from core.timezones import zone_or_default
from core.verdicts import SubmissionVerdict
from sandbox import Difference

T = TypeVar("T")

ACTIVITY_DAYS = 365
RECENT_SUBMISSIONS = 10


@dataclass(frozen=True, slots=True)
class UnlockedView:
    """An achievement on a profile."""

    slug: str
    name: str
    emoji: str
    description: str
    unlocked_at: datetime


@dataclass(frozen=True, slots=True)
class SolvedView:
    """A solved task on a profile."""

    slug: str
    title: str
    difficulty: Difficulty
    points: int
    solved_at: datetime


@dataclass(frozen=True, slots=True)
class PagedSolve:
    """A solve in a page of a learner's solves, with its id to continue after it."""

    solve_id: int
    solved: SolvedView


@dataclass(frozen=True, slots=True)
class RecentSubmission:
    """One of the learner's latest submissions; code only for its owner."""

    id: int
    task_slug: str
    task_title: str
    verdict: SubmissionVerdict
    created_at: datetime
    time_ms: int | None
    code: str | None
    #: where a wrong answer's output differed, for its owner only (like the code)
    difference: Difference | None = None

    @property
    def accepted(self) -> bool:
        """True when the submission was accepted."""
        return self.verdict is SubmissionVerdict.ACCEPTED


@dataclass(frozen=True, slots=True)
class Profile:
    """Everything a profile page or command shows."""

    user_id: int
    display_name: str
    discord_id: int | None
    discord_name: str | None
    points: int
    rank: Entry | None
    current_streak: int
    best_streak: int
    streak_freezes: int
    solved_by_difficulty: dict[Difficulty, int]
    solved: tuple[SolvedView, ...]
    achievements: tuple[UnlockedView, ...]
    points_over_time: tuple[tuple[date, int], ...]
    activity: dict[date, int]
    recent: tuple[RecentSubmission, ...]
    member_since: datetime
    #: the time zone the learner chose themselves (None: they follow their server's)
    own_zone: str | None = None
    #: the learner opted in to showing this profile to everyone
    public: bool = False

    @property
    def solved_total(self) -> int:
        """How many tasks the learner solved."""
        return sum(self.solved_by_difficulty.values())


@dataclass(frozen=True, slots=True)
class ProfileView:
    """A learner's profile as one visitor sees it."""

    profile: Profile
    #: the visitor is the learner, who alone sees the code of their recent submissions
    own: bool
    #: the learner's own today, where the profile's charts end
    today: date

    def points_until_today(self) -> list[tuple[date, int]]:
        """The points series carried flat up to today, so that its line ends at the present."""
        points = list(self.profile.points_over_time)
        if points and points[-1][0] < self.today:
            points.append((self.today, points[-1][1]))
        return points


async def view_profile(
    session: AsyncSession, name: str, viewer_id: int | None, now: datetime | None = None
) -> ProfileView | None:
    """The profile of the learner called `name` as the visitor `viewer_id` (None: anyone) sees
    it; None when the visitor may see no profile of that name (`visible_learner`)."""
    learner = await visible_learner(session, name, viewer_id)
    if learner is None:
        return None
    own = viewer_id == learner.id
    now = now or utcnow()
    profile = await load_profile(session, learner.id, include_code=own, now=now)
    if profile is None:
        return None
    today = local_day(now, await learner_zone(session, learner.id))
    return ProfileView(profile, own, today)


def _named(name: str) -> ColumnElement[bool]:
    """Learners whose display name is `name`, ignoring case: exactly as written too, since
    SQLite's lower() folds ASCII letters only (so "Émile" still finds "Émile")."""
    return or_(User.display_name == name, func.lower(User.display_name) == name.lower())


async def find_learner_by_name(session: AsyncSession, name: str) -> User | None:
    """The learner whose display name is `name` (case-insensitive); the earliest on a tie."""
    return await session.scalar(select(User).where(_named(name)).order_by(User.id).limit(1))


async def public_learner(session: AsyncSession, name: str) -> User | None:
    """The learner with a public profile whose display name is `name` (case-insensitive), the
    earliest on a tie; None for a name nobody public has. Every public way to a profile (its
    page, card, JSON and badge) finds learners through this, so a private learner, such as one
    known only from Discord, is never told apart from nobody."""
    return await session.scalar(
        select(User).where(_named(name), User.profile_public.is_(True)).order_by(User.id).limit(1)
    )


async def visible_learner(session: AsyncSession, name: str, viewer_id: int | None) -> User | None:
    """The learner called `name` whose profile the visitor `viewer_id` may see: the visitor
    themselves, public or not (their own name comes first), else a public learner."""
    if viewer_id is not None:
        viewer = await session.get(User, viewer_id)
        if viewer is not None and viewer.display_name.lower() == name.lower():
            return viewer
    return await public_learner(session, name)


#: the learner with their time zone: their own, else the first server's they were seen in
#: (NULL: UTC)
_LEARNER = select(
    User.display_name,
    User.profile_public,
    User.discord_id,
    User.discord_name,
    User.points,
    User.current_streak,
    User.best_streak,
    User.last_active_day,
    User.streak_freezes,
    User.created_at,
    own_or_first_server_zone().label("timezone"),
    User.timezone.label("own_zone"),
).where(User.id == bindparam("user_id"))
#: tasks a profile shows
_SHOWN = Task.owner_guild_id == GLOBAL_CATALOGUE
_SOLVED = (
    select(Task.slug, Task.title, Task.difficulty, Solve.points_awarded, Solve.solved_at)
    .join(Task, Task.id == Solve.task_id)
    .where(Solve.user_id == bindparam("user_id"), _SHOWN)
    .order_by(Solve.solved_at, Solve.id)
)
_ACHIEVEMENTS = (
    select(
        Achievement.slug,
        Achievement.name,
        Achievement.emoji,
        Achievement.description,
        UserAchievement.unlocked_at,
    )
    .join(Achievement, Achievement.id == UserAchievement.achievement_id)
    .where(UserAchievement.user_id == bindparam("user_id"))
    .order_by(UserAchievement.unlocked_at, Achievement.slug)
)
_ACCEPTED_SINCE = (
    select(Submission.created_at)
    .join(Task, Task.id == Submission.task_id)
    .where(
        Submission.user_id == bindparam("user_id"),
        Submission.created_at >= bindparam("since", type_=UTCDateTime),
        Submission.verdict == SubmissionVerdict.ACCEPTED,
        _SHOWN,
    )
)
_SUBMISSIONS = (
    select(
        Submission.id,
        Task.slug,
        Task.title,
        Submission.verdict,
        Submission.created_at,
        Submission.time_ms,
        Submission.code,
    )
    .join(Task, Task.id == Submission.task_id)
    .where(Submission.user_id == bindparam("user_id"), _SHOWN)
    .order_by(Submission.created_at.desc(), Submission.id.desc())
)
#: the owner's view also reads the tests' results, to show where a wrong answer differed
_SUBMISSIONS_OWN = _SUBMISSIONS.add_columns(Submission.results)
_SUBMISSION_COUNT = (
    select(func.count(Submission.id))
    .join(Task, Task.id == Submission.task_id)
    .where(Submission.user_id == bindparam("user_id"), _SHOWN)
)
_SOLVE_COUNT = (
    select(func.count(Solve.id))
    .join(Task, Task.id == Solve.task_id)
    .where(Solve.user_id == bindparam("user_id"), _SHOWN)
)


async def load_profile(
    session: AsyncSession,
    user_id: int,
    *,
    include_code: bool = False,
    now: datetime | None = None,
) -> Profile | None:
    """A learner's profile, or None for an unknown learner.

    `include_code` adds the code of recent submissions; only the owner should see it.
    """
    connection = await session.connection()
    params = {"user_id": user_id}
    user = (await connection.execute(_LEARNER, params)).one_or_none()
    if user is None:
        return None
    now = now or utcnow()
    zone = zone_or_default(user.timezone)
    solved = tuple(SolvedView(*row) for row in await connection.execute(_SOLVED, params))
    cumulative = 0
    over_time: dict[date, int] = {}
    for view in solved:
        cumulative += view.points
        over_time[local_day(view.solved_at, zone)] = cumulative
    achievements = await connection.execute(_ACHIEVEMENTS, params)
    return Profile(
        user_id=user_id,
        display_name=user.display_name,
        discord_id=user.discord_id,
        discord_name=user.discord_name,
        points=user.points,
        rank=await global_rank(
            session, user_id, user.points, user.display_name, user.discord_id, user.profile_public
        ),
        current_streak=effective_current(
            StreakState(
                user.current_streak, user.best_streak, user.last_active_day, user.streak_freezes
            ),
            local_day(now, zone),
        ),
        best_streak=user.best_streak,
        streak_freezes=user.streak_freezes,
        solved_by_difficulty=dict(Counter(v.difficulty for v in solved)),
        solved=solved,
        achievements=tuple(UnlockedView(*row) for row in achievements),
        points_over_time=tuple(over_time.items()),
        activity=await _activity(connection, user_id, zone, now),
        recent=await _submissions(connection, user_id, include_code, RECENT_SUBMISSIONS, 0),
        member_since=user.created_at,
        own_zone=user.own_zone,
        public=user.profile_public,
    )


async def _activity(
    connection: AsyncConnection, user_id: int, zone: str, now: datetime
) -> dict[date, int]:
    """Accepted submissions per local day over the last year."""
    since = now - timedelta(days=ACTIVITY_DAYS + 1)
    moments = await connection.scalars(_ACCEPTED_SINCE, {"user_id": user_id, "since": since})
    return dict(Counter(local_day(moment, zone) for moment in moments))


async def _submissions(
    connection: AsyncConnection, user_id: int, include_code: bool, limit: int, offset: int
) -> tuple[RecentSubmission, ...]:
    """`limit` of the learner's submissions from `offset` on, newest first; code and where a
    wrong answer differed only with `include_code` (for their owner)."""
    query = _SUBMISSIONS_OWN if include_code else _SUBMISSIONS
    rows = await connection.execute(query.limit(limit).offset(offset), {"user_id": user_id})
    recent = []
    for id_, slug, title, verdict, created, time_ms, code, *results in rows:
        recent.append(
            RecentSubmission(
                id_,
                slug,
                title,
                verdict,
                created,
                time_ms,
                code if include_code else None,
                first_difference(results[0]) if include_code else None,
            )
        )
    return tuple(recent)


async def solves_page(
    session: AsyncSession, user_id: int, before: int | None, limit: int
) -> list[PagedSolve]:
    """A learner's solves of the shared catalogue's tasks, latest recorded first, `limit` of
    them from just before the solve with id `before` (from the latest for None): keyset paging,
    stable while they keep solving."""
    query = (
        select(
            Solve.id, Task.slug, Task.title, Task.difficulty, Solve.points_awarded, Solve.solved_at
        )
        .join(Task, Task.id == Solve.task_id)
        .where(Solve.user_id == user_id, _SHOWN)
        .order_by(Solve.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(Solve.id < before)
    return [
        PagedSolve(id_, SolvedView(slug, title, difficulty, points, solved_at))
        for id_, slug, title, difficulty, points, solved_at in await session.execute(query)
    ]


@dataclass(frozen=True, slots=True)
class Paged(Generic[T]):
    """One page of a learner's list, and how many items the whole list has."""

    items: tuple[T, ...]
    total: int


async def submissions_page(
    session: AsyncSession, user_id: int, *, include_code: bool, limit: int, offset: int
) -> Paged[RecentSubmission]:
    """A page of the learner's submissions to the shared catalogue's tasks, newest first, with
    code and differences only when `include_code` (for their owner)."""
    connection = await session.connection()
    total = await connection.scalar(_SUBMISSION_COUNT, {"user_id": user_id})
    items = await _submissions(connection, user_id, include_code, limit, offset)
    return Paged(items, int(total or 0))


async def solved_page(
    session: AsyncSession, user_id: int, *, limit: int, offset: int
) -> Paged[SolvedView]:
    """A page of the learner's solved tasks of the shared catalogue, latest first."""
    connection = await session.connection()
    total = await connection.scalar(_SOLVE_COUNT, {"user_id": user_id})
    latest = _SOLVED.order_by(None).order_by(Solve.solved_at.desc(), Solve.id.desc())
    rows = await connection.execute(latest.limit(limit).offset(offset), {"user_id": user_id})
    return Paged(tuple(SolvedView(*row) for row in rows), int(total or 0))
