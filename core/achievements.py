"""The achievement engine: learner statistics, declarative conditions and unlocks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, RowMapping, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Achievement, Solve, Task, User, UserAchievement


@dataclass(frozen=True, slots=True)
class LearnerStats:
    """The numbers that achievement conditions compare against."""

    points: int = 0
    solved: int = 0
    best_streak: int = 0
    solved_by_difficulty: Mapping[str, int] = field(default_factory=dict)
    first_try: int = 0
    daily: int = 0


def is_met(condition: Mapping[str, Any], stats: LearnerStats) -> bool:
    """True when the learner's statistics satisfy a condition from an achievement file.

    Streak conditions use the best streak, so an unlock is never lost by a later break.
    """
    ((kind, value),) = condition.items()
    match kind:
        case "points":
            return stats.points >= int(value)
        case "solved":
            return stats.solved >= int(value)
        case "streak":
            return stats.best_streak >= int(value)
        case "first_try":
            return stats.first_try >= int(value)
        case "daily":
            return stats.daily >= int(value)
        case "solved_difficulty":
            return all(stats.solved_by_difficulty.get(d, 0) >= int(n) for d, n in value.items())
        case "all":
            return all(is_met(part, stats) for part in value)
    raise ValueError(f"unknown achievement condition {kind!r}")


def _solve_totals() -> Any:
    """Per-user solve statistics, as a selectable grouped by user."""
    return (
        select(
            Solve.user_id,
            func.count().label("solved"),
            func.sum(case((Solve.first_try, 1), else_=0), type_=Integer).label("first_try"),
            func.sum(case((Solve.daily, 1), else_=0), type_=Integer).label("daily"),
            func.sum(case((Task.difficulty == "easy", 1), else_=0), type_=Integer).label("easy"),
            func.sum(case((Task.difficulty == "medium", 1), else_=0), type_=Integer).label(
                "medium"
            ),
            func.sum(case((Task.difficulty == "hard", 1), else_=0), type_=Integer).label("hard"),
        )
        .join(Task, Task.id == Solve.task_id)
        .group_by(Solve.user_id)
    )


async def stats_for(session: AsyncSession, user_ids: Iterable[int]) -> dict[int, LearnerStats]:
    """Statistics of the given learners, in two grouped queries."""
    ids = list(user_ids)
    if not ids:
        return {}
    totals = (await session.execute(_solve_totals().where(Solve.user_id.in_(ids)))).mappings().all()
    by_user = {row["user_id"]: row for row in totals}
    users = await session.execute(
        select(User.id, User.points, User.best_streak).where(User.id.in_(ids))
    )
    return {
        user_id: _stats(points, best_streak, by_user.get(user_id))
        for user_id, points, best_streak in users
    }


def _stats(points: int, best_streak: int, totals: RowMapping | None) -> LearnerStats:
    """A learner's statistics from their totals and their grouped solve counts."""
    if totals is None:
        return LearnerStats(points=points, best_streak=best_streak)
    return LearnerStats(
        points=points,
        best_streak=best_streak,
        solved=totals["solved"],
        first_try=totals["first_try"] or 0,
        daily=totals["daily"] or 0,
        solved_by_difficulty={d: totals[d] or 0 for d in ("easy", "medium", "hard")},
    )


async def unlock_due(session: AsyncSession, user: User, now: datetime) -> list[Achievement]:
    """Unlock every achievement the learner now qualifies for and has not yet; return them."""
    user_id = user.id
    owned = select(UserAchievement.achievement_id).where(UserAchievement.user_id == user_id)
    candidates = list(
        await session.scalars(select(Achievement).where(Achievement.id.not_in(owned)))
    )
    if not candidates:
        return []
    totals = (
        (await session.execute(_solve_totals().where(Solve.user_id == user_id))).mappings().first()
    )
    stats = _stats(user.points, user.best_streak, totals)
    unlocked = [a for a in candidates if is_met(a.condition, stats)]
    session.add_all(
        UserAchievement(user_id=user_id, achievement_id=a.id, unlocked_at=now) for a in unlocked
    )
    await session.flush()
    return unlocked


async def award_retroactively(
    session: AsyncSession, achievements: Iterable[Achievement], now: datetime, batch: int = 5000
) -> int:
    """Give newly loaded or changed achievements to everyone who already qualifies.

    Learners are read in batches so that a large community does not need everything in memory.
    Returns how many unlocks were recorded.
    """
    wanted = list(achievements)
    if not wanted:
        return 0
    owners: dict[int, set[int]] = defaultdict(set)
    rows = await session.execute(
        select(UserAchievement.achievement_id, UserAchievement.user_id).where(
            UserAchievement.achievement_id.in_([a.id for a in wanted])
        )
    )
    for achievement_id, user_id in rows:
        owners[achievement_id].add(user_id)
    awarded = 0
    last_id = 0
    while True:
        ids = list(
            await session.scalars(
                select(User.id).where(User.id > last_id).order_by(User.id).limit(batch)
            )
        )
        if not ids:
            return awarded
        last_id = ids[-1]
        stats = await stats_for(session, ids)
        new = [
            UserAchievement(user_id=user_id, achievement_id=a.id, unlocked_at=now)
            for a in wanted
            for user_id, learner in stats.items()
            if user_id not in owners[a.id] and is_met(a.condition, learner)
        ]
        session.add_all(new)
        await session.flush()
        awarded += len(new)
