"""The achievement engine: learner statistics, declarative conditions and unlocks.

Achievements are global: their statistics count the shared catalogue's tasks only, never a
server's own tasks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, RowMapping, bindparam, case, func, insert, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from core.content.schema import Difficulty
from core.models import GLOBAL_CATALOGUE, Achievement, Solve, Task, User, UserAchievement


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


def _total_columns() -> list[Any]:
    """The aggregates of solves that conditions use (solves joined with their tasks)."""

    def count_of(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0), type_=Integer)

    return [
        func.count(Solve.id).label("solved"),
        count_of(Solve.first_try).label("first_try"),
        count_of(Solve.daily).label("daily"),
        *(count_of(Task.difficulty == d).label(d) for d in Difficulty),
    ]


#: solves that count toward achievements: those of the shared catalogue's tasks
_COUNTED = Task.owner_guild_id == GLOBAL_CATALOGUE


def _solve_totals() -> Any:
    """Per-user solve statistics, as a selectable grouped by user."""
    return (
        select(Solve.user_id, *_total_columns())
        .join(Task, Task.id == Solve.task_id)
        .where(_COUNTED)
        .group_by(Solve.user_id)
    )


#: one learner's solve totals: always exactly one row (zeros and NULLs without solves)
_LEARNER_TOTALS = (
    select(*_total_columns())
    .select_from(Solve)
    .join(Task, Task.id == Solve.task_id)
    .where(Solve.user_id == bindparam("user_id"), _COUNTED)
    .subquery("totals")
)
#: the achievements a learner does not hold yet, each row with the learner's solve totals
_UNLOCKABLE = (
    select(Achievement.id, Achievement.content_hash, _LEARNER_TOTALS)
    .join(_LEARNER_TOTALS, true())
    .where(
        Achievement.id.not_in(
            select(UserAchievement.achievement_id).where(
                UserAchievement.user_id == bindparam("user_id")
            )
        )
    )
)
_INSERT_UNLOCK = insert(UserAchievement)


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
    """A learner's statistics from their totals and their grouped solve counts (sums come back
    as decimals from MySQL: counted as ints)."""
    if totals is None:
        return LearnerStats(points=points, best_streak=best_streak)
    return LearnerStats(
        points=points,
        best_streak=best_streak,
        solved=int(totals["solved"]),
        first_try=int(totals["first_try"] or 0),
        daily=int(totals["daily"] or 0),
        solved_by_difficulty={d: int(totals[d] or 0) for d in Difficulty},
    )


@dataclass(frozen=True, slots=True)
class AchievementDefinition:
    """An achievement as unlocking and announcing it need it, independent of any session."""

    id: int
    slug: str
    name: str
    description: str
    emoji: str
    condition: Mapping[str, Any]


#: definitions by (id, content hash): a changed achievement file gets a new hash, so a cached
#: definition is never stale; only a few dozen achievements exist
_definitions: dict[tuple[int, str], AchievementDefinition] = {}
_DEFINITIONS_KEPT = 1024


async def _definitions_of(
    session: AsyncSession, keys: list[tuple[int, str]]
) -> list[AchievementDefinition]:
    """The definitions of the given (id, content hash) pairs, read from the database once."""
    missing = [key for key in keys if key not in _definitions]
    if missing:
        if len(_definitions) > _DEFINITIONS_KEPT:
            _definitions.clear()
        rows = await session.execute(
            select(
                Achievement.id,
                Achievement.content_hash,
                Achievement.slug,
                Achievement.name,
                Achievement.description,
                Achievement.emoji,
                Achievement.condition,
            ).where(Achievement.id.in_([achievement_id for achievement_id, _ in missing]))
        )
        for achievement_id, content_hash, *fields in rows:
            _definitions[achievement_id, content_hash] = AchievementDefinition(
                achievement_id, *fields
            )
    return [_definitions[key] for key in keys if key in _definitions]


async def unlock_due(
    session: AsyncSession, user_id: int, points: int, best_streak: int, now: datetime
) -> list[AchievementDefinition]:
    """Unlock every achievement the learner now qualifies for and has not yet; return them.

    `points` and `best_streak` are the learner's current totals (the caller holds them). One
    query reads which achievements are still locked together with the learner's solve totals.
    """
    rows = (await session.execute(_UNLOCKABLE, {"user_id": user_id})).all()
    if not rows:
        return []
    stats = _stats(points, best_streak, rows[0]._mapping)
    candidates = await _definitions_of(session, [(row.id, row.content_hash) for row in rows])
    unlocked = [a for a in candidates if is_met(a.condition, stats)]
    if unlocked:
        connection = await session.connection()
        await connection.execute(
            _INSERT_UNLOCK,
            [{"user_id": user_id, "achievement_id": a.id, "unlocked_at": now} for a in unlocked],
        )
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
