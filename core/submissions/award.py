"""The statements around the award decision: few round trips, no unit of work.

Learners wait for these, so each step is one plain statement: the learner's row is locked and
read once (with their own time zone, whether they solved the task before, their earlier attempts
and the hints of the task they revealed), everything else the award depends on (the server's
time zone, daily challenge and bonus, and for a server's own task the learner's score from that
server's tasks) comes back in one more query, `core.submissions.decision` decides on plain
values, and what it changed is stored with the learner's row (or, for a server's own task, their
membership of the server) written once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, Label, Row, RowMapping, bindparam, case, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from core.learners import remember_member
from core.models import (
    DailyPost,
    GuildMember,
    GuildSettings,
    HintReveal,
    Solve,
    Submission,
    User,
)
from core.models.base import Snowflake
from core.models.guild import DEFAULT_DAILY_BONUS
from core.scores import Score, store_local_score, store_score
from core.streaks import StreakState, local_day
from core.submissions.decision import Award, LearnerTotals, SolveContext
from core.timezones import DEFAULT_ZONE, zone_or_default
from core.verdicts import SubmissionVerdict


@dataclass(frozen=True, slots=True)
class _GuildDay:
    """One server the learner belongs to, as far as the award cares."""

    timezone: str
    daily_bonus: int
    #: bit i set when the task was this server's daily challenge on (UTC day - 1 + i)
    daily_days: int


def _daily_days(guild: Any) -> Label[int]:
    """A bit mask of the three days around the UTC day on which the task was the server's
    daily challenge (bit 0: the day before, 1: the UTC day, 2: the day after); a skipped day
    has no challenge.

    Every time zone's local day is within one day of the UTC day; the caller picks the bit of
    the server's local day.
    """
    first, utc_day = bindparam("day_before", type_=Date), bindparam("utc_day", type_=Date)
    return (
        select(
            func.coalesce(
                func.sum(case((DailyPost.day == first, 1), (DailyPost.day == utc_day, 2), else_=4)),
                0,
            )
        )
        .where(
            DailyPost.guild_id == guild,
            DailyPost.task_id == bindparam("task_id"),
            DailyPost.day.between(first, bindparam("day_after", type_=Date)),
            DailyPost.skipped.is_(False),
        )
        .scalar_subquery()
        .label("daily_days")
    )


# Solved before and earlier attempts refer to the locked row, so they are read only once the
# lock is held: a racing submission of the same learner that waited sees the solve just made.
_SOLVE_OF_TASK = (Solve.user_id == User.id, Solve.task_id == bindparam("task_id"))
_SOLVED = select(Solve.id).where(*_SOLVE_OF_TASK).scalar_subquery().label("solved_id")
#: whether that solve already counts as a daily challenge solved on its day
_SOLVED_DAILY = select(Solve.daily).where(*_SOLVE_OF_TASK).scalar_subquery().label("solved_daily")
_EARLIER = (
    select(func.count())
    .select_from(Submission)
    .where(
        Submission.user_id == User.id,
        Submission.task_id == bindparam("task_id"),
        Submission.id < bindparam("submission_id"),
        Submission.verdict != SubmissionVerdict.SANDBOX_ERROR,
    )
    .scalar_subquery()
    .label("earlier_attempts")
)
#: how many of the task's hints the learner revealed: each costs a share of a first solve's points
_HINTS = (
    select(HintReveal.revealed)
    .where(HintReveal.user_id == User.id, HintReveal.task_id == bindparam("task_id"))
    .scalar_subquery()
    .label("hints_revealed")
)
_LEARNER = (
    User.timezone,
    User.points,
    User.current_streak,
    User.best_streak,
    User.last_active_day,
    User.streak_freezes,
    User.week_start,
    User.week_points,
    _SOLVED,
    _SOLVED_DAILY,
    _EARLIER,
    _HINTS,
)
#: the learner's row, locked. Nothing else is read in this statement: MariaDB evaluates a
#: subquery that does not refer to the row before waiting for the lock, and the transaction
#: would then see the database as it was before a racing submission of the learner finished.
_LOCK = select(*_LEARNER).where(User.id == bindparam("user_id")).with_for_update()
_GUILD = bindparam("guild_id", type_=Snowflake)
#: once the lock is held, the submission's server: its time zone, bonus and daily challenges
_GUILD_DAY = select(
    select(GuildSettings.timezone)
    .where(GuildSettings.guild_id == _GUILD)
    .scalar_subquery()
    .label("timezone"),
    select(GuildSettings.daily_bonus)
    .where(GuildSettings.guild_id == _GUILD)
    .scalar_subquery()
    .label("daily_bonus"),
    _daily_days(_GUILD),
)
#: the same for a server's own task, with the learner's score from the server's tasks (NULL
#: without a membership, which is written only under the learner's lock: it needs no lock)
_SERVER_TASK_DAY = _GUILD_DAY.add_columns(
    *(
        select(column)
        .where(GuildMember.guild_id == _GUILD, GuildMember.user_id == bindparam("user_id"))
        .scalar_subquery()
        .label(column.key)
        for column in (
            GuildMember.local_points,
            GuildMember.local_week_start,
            GuildMember.local_week_points,
        )
    )
)
#: without a server: one row per server of the learner, first seen first
_LEARNER_GUILDS = (
    select(
        GuildSettings.timezone,
        GuildSettings.daily_bonus,
        _daily_days(GuildMember.guild_id),
    )
    .select_from(GuildMember)
    .outerjoin(GuildSettings, GuildSettings.guild_id == GuildMember.guild_id)
    .where(GuildMember.user_id == bindparam("user_id"))
    .order_by(GuildMember.first_seen_at, GuildMember.guild_id)
)


@dataclass(frozen=True, slots=True)
class Locked:
    """A learner whose row is locked, with what completing their submission needs."""

    #: the learner's global score and streak
    totals: LearnerTotals
    context: SolveContext
    #: for a server's own task: the server, and the learner's score from its tasks (None
    #: when the learner has no membership of it yet)
    guild_id: int | None = None
    local: Score | None = None

    @property
    def counted(self) -> LearnerTotals:
        """The totals the task counts toward: for a server's own task, the learner's score from
        that server's tasks (and their streak, which it does not move)."""
        if not self.context.server_task:
            return self.totals
        return LearnerTotals(self.local or Score(), self.totals.streak)


async def lock_learner(
    connection: AsyncConnection,
    *,
    user_id: int,
    guild_id: int | None,
    task_id: int,
    submission_id: int,
    created_at: datetime,
    server_task: bool = False,
) -> Locked | None:
    """Lock the learner's row (racing submissions of one learner wait here) and read it with
    what the award depends on; None when the learner does not exist.

    Two queries: the locked row with the learner's own time zone, whether the task was solved
    before, earlier graded attempts and the task's hints they revealed, then the submission's
    server (or each of the learner's servers): its time zone and the daily bonus this solve
    would earn, and for a server's own task (`server_task`, submitted in that server) the
    learner's score from the server's tasks. The learner's days are counted in their own zone,
    else the zone of the submission's server, else of the first server they were seen in, else
    UTC. The bonus applies when the task is the daily challenge, on the server's local day, of
    the submission's server (or, without one, of any of the learner's servers): the daily
    challenge is the server's, whatever the learner's own zone.
    """
    if server_task and guild_id is None:
        raise ValueError("a server's own task is submitted in its server")
    utc_day = created_at.astimezone(UTC).date()
    params = {
        "user_id": user_id,
        "task_id": task_id,
        "submission_id": submission_id,
        "guild_id": guild_id,
        "day_before": utc_day - timedelta(days=1),
        "utc_day": utc_day,
        "day_after": utc_day + timedelta(days=1),
    }
    row = (await connection.execute(_LOCK, params)).mappings().one_or_none()
    if row is None:
        return None
    if guild_id is None:
        rows = (await connection.execute(_LEARNER_GUILDS, params)).mappings().all()
    else:
        statement = _SERVER_TASK_DAY if server_task else _GUILD_DAY
        rows = (await connection.execute(statement, params)).mappings().all()
    guilds = [_guild_day(guild) for guild in rows]
    context = SolveContext(
        zone=row["timezone"] or (guilds[0].timezone if guilds else DEFAULT_ZONE),
        solved_before=row["solved_id"] is not None,
        earlier_attempts=int(row["earlier_attempts"]),
        daily_bonus=_bonus(guilds, created_at, utc_day),
        server_task=server_task,
        hints_revealed=int(row["hints_revealed"] or 0),
        daily_credited=bool(row["solved_daily"]),
    )
    learner = LearnerTotals(
        Score(row["points"], row["week_start"], row["week_points"]),
        StreakState(
            row["current_streak"], row["best_streak"], row["last_active_day"], row["streak_freezes"]
        ),
    )
    if not server_task:
        return Locked(learner, context)
    (server,) = rows
    local = (
        None
        if server["local_points"] is None
        else Score(server["local_points"], server["local_week_start"], server["local_week_points"])
    )
    return Locked(learner, context, guild_id, local)


def _guild_day(row: RowMapping) -> _GuildDay:
    """A server's time zone, daily bonus and daily challenge days, with the defaults of a
    server nobody configured."""
    bonus = row["daily_bonus"]
    return _GuildDay(
        timezone=zone_or_default(row["timezone"]),
        daily_bonus=DEFAULT_DAILY_BONUS if bonus is None else bonus,
        daily_days=int(row["daily_days"] or 0),
    )


def _bonus(guilds: Sequence[_GuildDay], created_at: datetime, utc_day: date) -> int | None:
    """The bonus of the first server whose daily challenge, on its local day, is the task;
    None when it is no server's."""
    for guild in guilds:
        offset = (local_day(created_at, guild.timezone) - utc_day).days + 1
        if guild.daily_days >> offset & 1:
            return guild.daily_bonus
    return None


_INSERT_SOLVE = insert(Solve)
#: a daily challenge accepted after the task was first solved: the solve now counts it
_CREDIT_DAILY = (
    update(Solve)
    .where(Solve.user_id == bindparam("credited_user"), Solve.task_id == bindparam("credited_task"))
    .values(daily=True)
)
#: completes a submission only while it is pending: the compare-and-set of every completion
_FINISH = update(Submission).where(
    Submission.id == bindparam("finished_id"),
    Submission.verdict == SubmissionVerdict.PENDING,
)


async def finish_submission(connection: AsyncConnection, submission_id: int, **values: Any) -> bool:
    """Complete a submission with its verdict and results (column values) if it is still
    pending; whether it was.

    False means its verdict was recorded already (a duplicate result, a grading run twice, or
    the sweep of interrupted gradings got there first): nothing was changed, and the caller
    must award nothing; read the recorded verdict back with `recorded_submission`.
    """
    result = await connection.execute(_FINISH, {"finished_id": submission_id, **values})
    return bool(result.rowcount)


_RECORDED = (
    select(Submission.verdict, Submission.results, Submission.message, Submission.time_ms)
    .where(Submission.id == bindparam("submission_id"))
    .with_for_update(read=True)
)


async def recorded_submission(connection: AsyncConnection, submission_id: int) -> Row[Any] | None:
    """The verdict, results, message and time a submission was completed with (None when it
    no longer exists), read with a lock so that it is the committed one, not the transaction's
    snapshot from before a racing completion."""
    return (await connection.execute(_RECORDED, {"submission_id": submission_id})).one_or_none()


async def store_award(
    session: AsyncSession,
    *,
    user_id: int,
    task_id: int,
    submission_id: int,
    locked: Locked,
    award: Award,
    at: datetime,
) -> None:
    """Write what a decided award changed: the solve on a first solve (the unique (learner,
    task) key is the last guard), or the daily credit on the earlier solve when a learner who
    worked ahead solves the day's challenge again, then the learner's score and streak, or for
    a server's own task their score from that server's tasks (a membership is made when they
    have none); nothing when nothing changed.

    No savepoint is needed: the lock on the learner's row makes racing submissions of the same
    learner wait, and they then see this solve.
    """
    if award.first_solve:
        connection = await session.connection()
        await connection.execute(
            _INSERT_SOLVE,
            {
                "user_id": user_id,
                "task_id": task_id,
                "submission_id": submission_id,
                "points_awarded": award.earned,
                "first_try": award.first_try,
                "daily": award.daily_credit,
                "solved_at": at,
            },
        )
    elif award.daily_credit:
        connection = await session.connection()
        await connection.execute(
            _CREDIT_DAILY, {"credited_user": user_id, "credited_task": task_id}
        )
    if award.after == award.before:
        return
    if locked.guild_id is None:
        await store_score(
            session, user_id, award.before.score, award.after.score, streak=award.after.streak
        )
        return
    if locked.local is None:
        await remember_member(session, locked.guild_id, user_id)
    await store_local_score(
        session, user_id, locked.guild_id, locked.totals.score, award.after.score
    )
