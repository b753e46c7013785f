"""How far a learner got through the shared catalogue: solved X of N per difficulty and per tag
(their skills), and the achievements still locked with what each needs.

Totals count the published tasks of the shared catalogue, as everyone sees it; a solve of a task
that was since unpublished (or of a server's own task) is not counted, so X never exceeds N.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.achievement_progress import AchievementStanding, achievement_standings
from core.content.schema import Difficulty
from core.models import GLOBAL_CATALOGUE, Solve, Task, TaskTag


@dataclass(frozen=True, slots=True)
class Tally:
    """Solved `solved` of the `total` published tasks of one difficulty or tag."""

    name: str
    solved: int
    total: int

    @property
    def percent(self) -> int:
        """The solved share in whole percent (0 for no tasks)."""
        return round(100 * self.solved / self.total) if self.total else 0


@dataclass(frozen=True, slots=True)
class Progress:
    """A learner's way through the catalogue, for their profile."""

    by_difficulty: tuple[Tally, ...]
    #: by tag, most practised first
    skills: tuple[Tally, ...]
    #: achievements not unlocked yet, closest to done first, with their steps
    locked: tuple[AchievementStanding, ...]


def _shown_and_solved(user_id: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Published tasks of the shared catalogue, and the join to this learner's solves of them."""
    shown = and_(Task.owner_guild_id == GLOBAL_CATALOGUE, Task.published.is_(True))
    solved = and_(Solve.task_id == Task.id, Solve.user_id == user_id)
    return shown, solved


async def progress_of(session: AsyncSession, user_id: int) -> Progress:
    """Solved X of N per difficulty (every difficulty, even without tasks) and per tag, and the
    locked achievements with progress (as Discord's `/achievements` shows them)."""
    shown, solved = _shown_and_solved(user_id)
    difficulty_rows = await session.execute(
        select(Task.difficulty, func.count(Task.id), func.count(Solve.id))
        .outerjoin(Solve, solved)
        .where(shown)
        .group_by(Task.difficulty)
    )
    found = {level: Tally(level.value, int(done), int(n)) for level, n, done in difficulty_rows}
    by_difficulty = tuple(found.get(level, Tally(level.value, 0, 0)) for level in Difficulty)
    tag_rows = await session.execute(
        select(TaskTag.tag, func.count(Task.id), func.count(Solve.id))
        .join(Task, Task.id == TaskTag.task_id)
        .outerjoin(Solve, solved)
        .where(shown)
        .group_by(TaskTag.tag)
    )
    skills = sorted(
        (Tally(tag, int(done), int(n)) for tag, n, done in tag_rows),
        key=lambda tally: (-tally.solved, -tally.percent, tally.name),
    )
    standings = await achievement_standings(session, user_id, None)
    locked = tuple(s for s in standings if s.unlocked_at is None)
    return Progress(by_difficulty, tuple(skills), locked)
