"""A learner's score, and the one place that writes it.

Points and weekly points live on the learner's row and are mirrored on their server memberships
(so that a server's boards are one index range); the score counts say how many learners have
each points total (so that a global rank is a sum over a few rows). `store_score` keeps the three
in step, whoever changes a score: an award, a merge of two accounts, a deletion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.leaderboards import week_of
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
        week = week_of(moment)
        this_week = self.week_points if self.week_start == week else 0
        return Score(self.points + points, week, this_week + points)


_READ_SCORE = select(User.points, User.week_start, User.week_points).where(
    User.id == bindparam("user_id")
)
_MIRROR_ON_MEMBERSHIPS = (
    update(GuildMember)
    .where(GuildMember.user_id == bindparam("member_id"))
    .values(
        points=bindparam("new_points"),
        week_start=bindparam("new_week_start"),
        week_points=bindparam("new_week_points"),
    )
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
        await connection.execute(
            _MIRROR_ON_MEMBERSHIPS,
            {
                "member_id": user_id,
                "new_points": after.points,
                "new_week_start": after.week_start,
                "new_week_points": after.week_points,
            },
        )
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
