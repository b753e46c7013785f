"""A learner's score, and the one place that writes it.

Points and weekly points from the shared catalogue's tasks live on the learner's row; points from
one server's own tasks live on the learner's membership of that server (`local_*`). Each
membership mirrors the sum of both (`core.leaderboards.board_columns`), so that a server's boards
are one index range; the score counts say how many learners have each global points total (so
that a global rank is a sum over a few rows). `store_score` and `store_local_score` keep them all
in step, whoever changes a score: an award, a merge of two accounts, a deletion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, bindparam, case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from core.leaderboards import board_columns, week_of
from core.models import GuildMember, ScoreCount, User
from core.streaks import StreakState


@dataclass(frozen=True, slots=True)
class Score:
    """A learner's all-time points, and their points of the week starting `week_start`."""

    points: int = 0
    week_start: date | None = None
    week_points: int = 0

    def gain(self, points: int, moment: datetime) -> Score:
        """The score after gaining `points` at `moment`; points of an earlier week (weeks start
        on Monday, UTC) no longer count."""
        current = self.in_week(week_of(moment))
        return Score(current.points + points, current.week_start, current.week_points + points)

    def in_week(self, week: date) -> Score:
        """The same score seen from the week starting `week`: points of another week do not
        count in it."""
        return Score(self.points, week, self.week_points if self.week_start == week else 0)


_READ_SCORE = select(User.points, User.week_start, User.week_points).where(
    User.id == bindparam("user_id")
)
_MIRROR_ON_MEMBERSHIPS = (
    update(GuildMember)
    .where(GuildMember.user_id == bindparam("member_id"))
    .values(
        **board_columns(
            bindparam("new_points"),
            bindparam("new_week_start", type_=Date),
            bindparam("new_week_points"),
        )
    )
)
_STORE_LOCAL = (
    update(GuildMember)
    .where(
        GuildMember.guild_id == bindparam("local_guild_id"),
        GuildMember.user_id == bindparam("local_user_id"),
    )
    .values(
        local_points=bindparam("new_local_points"),
        local_week_start=bindparam("new_local_week_start", type_=Date),
        local_week_points=bindparam("new_local_week_points"),
    )
)
_BOARD_POINTS = select(GuildMember.points).where(
    GuildMember.guild_id == bindparam("guild_id"), GuildMember.user_id == bindparam("user_id")
)
#: moves one learner from the row of score `old` to that of `new` (either may be absent)
_MOVE_SCORE_COUNT = (
    update(ScoreCount)
    .where(ScoreCount.points.in_(bindparam("touched", expanding=True)))
    .values(
        learners=ScoreCount.learners
        + case((ScoreCount.points == bindparam("new_score"), 1), else_=-1)
    )
)
_STORE_LEARNER = update(User).where(User.id == bindparam("learner_id"))


async def read_score(session: AsyncSession, user_id: int) -> Score | None:
    """A learner's score as stored (pending changes flushed first); None for an unknown
    learner."""
    row = (await session.execute(_READ_SCORE, {"user_id": user_id})).mappings().one_or_none()
    if row is None:
        return None
    return Score(row["points"], row["week_start"], row["week_points"])


async def store_score(
    session: AsyncSession,
    user_id: int,
    before: Score,
    after: Score | None,
    streak: StreakState | None = None,
) -> None:
    """Write a learner's score change everywhere it is kept: their server memberships, the score
    counts, then their row (with `streak` too, when given: one statement for both).

    `after` None means the learner is being deleted: only the score counts change, their rows
    go with them. The caller holds the lock on the learner's row.
    """
    if after is None:
        await _move_score_count(session, before.points, 0)
        return
    connection = await session.connection()
    learner: dict[str, Any] = {}
    if after != before:
        await _mirror(connection, user_id, after)
        await _move_score_count(session, before.points, after.points)
        learner.update(
            points=after.points, week_start=after.week_start, week_points=after.week_points
        )
    if streak is not None:
        learner.update(
            current_streak=streak.current,
            best_streak=streak.best,
            last_active_day=streak.last_day,
            streak_freezes=streak.freezes,
        )
    if learner:
        await connection.execute(_STORE_LEARNER, {"learner_id": user_id, **learner})


async def store_local_score(
    session: AsyncSession, user_id: int, guild_id: int, score: Score, local: Score
) -> None:
    """Write a learner's new score from one server's own tasks (`local`, on their membership of
    it, which must exist), then their boards' mirror; `score` is their global score, unchanged.

    The caller holds the lock on the learner's row.
    """
    connection = await session.connection()
    await connection.execute(
        _STORE_LOCAL,
        {
            "local_guild_id": guild_id,
            "local_user_id": user_id,
            "new_local_points": local.points,
            "new_local_week_start": local.week_start,
            "new_local_week_points": local.week_points,
        },
    )
    week = local.week_start
    await _mirror(connection, user_id, score if week is None else score.in_week(week))


async def mirror_on_memberships(session: AsyncSession, user_id: int, score: Score) -> None:
    """Write a learner's boards' mirror of their global `score` (of the current week) and each
    membership's local score: after the local scores changed by other means than an award."""
    await _mirror(await session.connection(), user_id, score)


async def _mirror(connection: AsyncConnection, user_id: int, score: Score) -> None:
    """Every membership's board columns from the learner's global score and its local one."""
    await connection.execute(
        _MIRROR_ON_MEMBERSHIPS,
        {
            "member_id": user_id,
            "new_points": score.points,
            "new_week_start": score.week_start,
            "new_week_points": score.week_points,
        },
    )


async def board_points(session: AsyncSession, user_id: int, guild_id: int) -> int:
    """A learner's points on a server's board (0 when not seen there)."""
    connection = await session.connection()
    points = await connection.scalar(_BOARD_POINTS, {"user_id": user_id, "guild_id": guild_id})
    return int(points or 0)


async def _move_score_count(session: AsyncSession, old: int, new: int) -> None:
    """Record in the score counts that one learner went from `old` to `new` points.

    One statement moves the learner between the two rows (InnoDB locks them in key order, so
    concurrent awards never deadlock); a score nobody had yet gets its row.
    """
    if old == new:
        return
    touched = [points for points in (old, new) if points > 0]
    connection = await session.connection()
    moved = await connection.execute(_MOVE_SCORE_COUNT, {"touched": touched, "new_score": new})
    if new <= 0 or moved.rowcount == len(touched):
        return
    try:
        async with session.begin_nested():
            session.add(ScoreCount(points=new, learners=1))
    except IntegrityError:  # created by a concurrent award
        await session.execute(
            update(ScoreCount)
            .where(ScoreCount.points == new)
            .values(learners=ScoreCount.learners + 1)
        )
