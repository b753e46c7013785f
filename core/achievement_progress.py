"""Every achievement as one learner stands with it: unlocked (when), or locked with progress.

Progress reads the same statistics the unlocking engine compares (`core.achievements`), so what
a learner is shown as missing is exactly what unlocks the achievement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.achievements import LearnerStats, stats_for
from core.guilds import find_guild_settings
from core.models import Achievement, UserAchievement


class Measure(StrEnum):
    """What an achievement condition counts, as a learner reads it."""

    POINTS = "points"
    SOLVED = "tasks solved"
    STREAK = "best streak (days)"
    FIRST_TRY = "first-try solves"
    DAILY = "daily challenges solved"
    EASY = "easy tasks solved"
    MEDIUM = "medium tasks solved"
    HARD = "hard tasks solved"


_SIMPLE = {
    "points": Measure.POINTS,
    "solved": Measure.SOLVED,
    "streak": Measure.STREAK,
    "first_try": Measure.FIRST_TRY,
    "daily": Measure.DAILY,
}
_BY_DIFFICULTY = {"easy": Measure.EASY, "medium": Measure.MEDIUM, "hard": Measure.HARD}


@dataclass(frozen=True, slots=True)
class Step:
    """One number an achievement needs: how far the learner is toward its target."""

    measure: Measure
    current: int
    target: int

    @property
    def done(self) -> bool:
        """Whether this part of the condition is met."""
        return self.current >= self.target


def _value(measure: Measure, stats: LearnerStats) -> int:
    match measure:
        case Measure.POINTS:
            return stats.points
        case Measure.SOLVED:
            return stats.solved
        case Measure.STREAK:
            return stats.best_streak
        case Measure.FIRST_TRY:
            return stats.first_try
        case Measure.DAILY:
            return stats.daily
    difficulty = next(d for d, m in _BY_DIFFICULTY.items() if m is measure)
    return stats.solved_by_difficulty.get(difficulty, 0)


def steps(condition: Mapping[str, Any], stats: LearnerStats) -> list[Step]:
    """The numbers `condition` needs and where the learner stands on each."""
    ((kind, value),) = condition.items()
    if kind == "all":
        return [step for part in value for step in steps(part, stats)]
    if kind == "solved_difficulty":
        needed = [(_BY_DIFFICULTY[d], int(n)) for d, n in value.items()]
    elif kind in _SIMPLE:
        needed = [(_SIMPLE[kind], int(value))]
    else:
        raise ValueError(f"unknown achievement condition {kind!r}")
    return [Step(m, min(_value(m, stats), target), target) for m, target in needed]


@dataclass(frozen=True, slots=True)
class AchievementStanding:
    """One achievement for one learner, and the role it grants in the server asked about."""

    slug: str
    name: str
    emoji: str
    description: str
    unlocked_at: datetime | None
    steps: tuple[Step, ...]
    #: the Discord role the server's moderators mapped to it, if any
    role_id: int | None


async def achievement_standings(
    session: AsyncSession, user_id: int, guild_id: int | None
) -> list[AchievementStanding]:
    """Every achievement, unlocked ones first (in the order earned), then locked ones closest
    to done first; with the roles they grant in server `guild_id` (None: no server)."""
    stats = (await stats_for(session, [user_id])).get(user_id, LearnerStats())
    unlocked = dict(
        (
            await session.execute(
                select(UserAchievement.achievement_id, UserAchievement.unlocked_at).where(
                    UserAchievement.user_id == user_id
                )
            )
        ).all()
    )
    settings = await find_guild_settings(session, guild_id) if guild_id is not None else None
    roles = dict(settings.achievement_roles or {}) if settings else {}
    achievements = await session.scalars(select(Achievement).order_by(Achievement.name))
    standings = [
        AchievementStanding(
            a.slug,
            a.name,
            a.emoji,
            a.description,
            unlocked.get(a.id),
            tuple(steps(a.condition, stats)),
            roles.get(a.slug),
        )
        for a in achievements
    ]
    return sorted(standings, key=_order)


def _order(standing: AchievementStanding) -> tuple[int, float, str]:
    if standing.unlocked_at is not None:
        return (0, standing.unlocked_at.timestamp(), standing.name)
    share = min((s.current / s.target for s in standing.steps if s.target), default=0.0)
    return (1, -share, standing.name)
