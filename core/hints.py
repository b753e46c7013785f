"""Hints and what they cost: each revealed hint takes a share of a task's points, down to a floor.

The rule is stated to learners before they reveal a hint and applied to the points of their
first solve; a daily bonus is not reduced. A learner reveals a task's hints one at a time, in
order; the count (`HintReveal.revealed`) only grows, by one compare-and-set at a time, so racing
presses never skip a hint nor reveal one twice. Once the task is solved its hints are free:
all are shown and nothing is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import HintReveal, Solve, Task, User

#: the share of the task's points each revealed hint costs
COST_PER_HINT = 0.2
#: the share of the task's points a solve keeps however many hints were revealed
POINTS_FLOOR = 0.4
#: the rule in words, for learners and task authors
HINT_RULE = (
    f"Each hint you reveal before solving a task costs {COST_PER_HINT:.0%} of its points, "
    f"never leaving less than {POINTS_FLOOR:.0%} of them; once you solved it, hints are free."
)


def points_after_hints(points: int, revealed: int) -> int:
    """The points a first solve earns after `revealed` hints: each costs `COST_PER_HINT` of
    `points`, never leaving less than `POINTS_FLOOR` of them (rounded half up, at least 1)."""
    return _share_of(points, max(POINTS_FLOOR, 1.0 - COST_PER_HINT * max(revealed, 0)))


def points_floor(points: int) -> int:
    """The least a first solve of a task worth `points` earns, however many hints it took."""
    return _share_of(points, POINTS_FLOOR)


def _share_of(points: int, share: float) -> int:
    return max(1, int(points * share + 0.5)) if points > 0 else points


@dataclass(frozen=True, slots=True)
class HintState:
    """One learner's hints of one task: how many exist, which are revealed, what a solve earns."""

    task_id: int
    slug: str
    title: str
    #: every hint of the task, in order (the learner may read `shown` of them)
    hints: tuple[str, ...]
    revealed: int
    #: the task's points before any hint
    points: int
    solved: bool

    @property
    def total(self) -> int:
        """How many hints the task has."""
        return len(self.hints)

    @property
    def shown(self) -> tuple[str, ...]:
        """The hints the learner may read now: those revealed, or all once solved."""
        return self.hints if self.solved else self.hints[: self.revealed]

    @property
    def next_number(self) -> int | None:
        """The number (from 1) of the hint to reveal next; None when none is left or the task
        is solved (every hint is shown then)."""
        return None if self.solved or self.revealed >= self.total else self.revealed + 1

    @property
    def points_now(self) -> int:
        """What a first solve earns with the hints revealed so far."""
        return points_after_hints(self.points, self.revealed)

    @property
    def points_after_next(self) -> int:
        """What a first solve would earn after revealing one more hint."""
        return points_after_hints(self.points, self.revealed + 1)

    @property
    def points_floor(self) -> int:
        """The least a first solve earns however many hints are revealed."""
        return points_floor(self.points)


class RevealOutcome(StrEnum):
    """What asking for the next hint did."""

    #: the next hint is revealed now (and costs points)
    REVEALED = "revealed"
    #: it was revealed already (a second press, a stale button): nothing revealed twice
    ALREADY = "already"
    #: every hint is revealed already
    NONE_LEFT = "none-left"
    #: the task has no hints
    NO_HINTS = "no-hints"
    #: the learner solved the task: every hint is shown, free
    FREE = "free"


@dataclass(frozen=True, slots=True)
class Reveal:
    """The outcome of a reveal and the learner's hints after it."""

    outcome: RevealOutcome
    state: HintState


async def _read(session: AsyncSession, user_id: int, task_id: int) -> tuple[HintState, bool]:
    """The learner's hints of the task, and whether a reveal of it is recorded yet."""
    row = (
        await session.execute(
            select(Task.slug, Task.title, Task.hints, Task.points).where(Task.id == task_id)
        )
    ).one_or_none()
    if row is None:
        raise LookupError(f"no task {task_id}")
    slug, title, hints, points = row
    revealed = await session.scalar(
        select(HintReveal.revealed).where(
            HintReveal.user_id == user_id, HintReveal.task_id == task_id
        )
    )
    solved = await session.scalar(
        select(exists().where(Solve.user_id == user_id, Solve.task_id == task_id))
    )
    count = min(revealed or 0, len(hints))
    state = HintState(task_id, slug, title, tuple(hints), count, points, bool(solved))
    return state, revealed is not None


async def hint_state(session: AsyncSession, user_id: int, task_id: int) -> HintState:
    """A learner's hints of a task: how many exist, those revealed, what a solve now earns and
    whether the task is solved already (raises LookupError for an unknown task)."""
    return (await _read(session, user_id, task_id))[0]


async def _advance(
    session: AsyncSession, user_id: int, task_id: int, seen: int, now: datetime
) -> bool:
    """Count one more revealed hint, compare-and-set: only while exactly `seen` are counted.
    Whether it was counted."""
    counted = await session.execute(
        update(HintReveal)
        .where(
            HintReveal.user_id == user_id,
            HintReveal.task_id == task_id,
            HintReveal.revealed == seen,
        )
        .values(revealed=seen + 1, last_revealed_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(counted.rowcount)  # type: ignore[attr-defined]


async def reveal_next(
    session: AsyncSession, user_id: int, task_id: int, now: datetime, seen: int | None = None
) -> Reveal:
    """Reveal a learner's next hint of a task; call it first in its transaction.

    `seen` is how many hints were revealed when the learner was offered the next one (what a
    Reveal button carries): a second press or a stale button then reveals nothing twice.
    Without it, the hint after those revealed is. Never beyond the last hint; a solved task's
    hints are free and nothing is recorded.

    The learner's row is locked first, as a solve's award locks it: one learner's reveals and
    solves take turns, so a reveal and a solve racing never both think they came first, and the
    reads after the lock see the latest counts (on MariaDB the snapshot starts after it).
    """
    await session.execute(select(User.id).where(User.id == user_id).with_for_update())
    state, recorded = await _read(session, user_id, task_id)
    expected = state.revealed if seen is None else seen
    if state.solved:
        return Reveal(RevealOutcome.FREE, state)
    if not state.total:
        return Reveal(RevealOutcome.NO_HINTS, state)
    if expected >= state.total:
        return Reveal(RevealOutcome.NONE_LEFT, state)
    if expected != state.revealed:
        return Reveal(RevealOutcome.ALREADY, state)
    if recorded:
        if not await _advance(session, user_id, task_id, expected, now):
            return Reveal(RevealOutcome.ALREADY, await hint_state(session, user_id, task_id))
    else:  # an insert alone: no lock on a missing row's gap, so other learners never wait
        session.add(HintReveal(user_id=user_id, task_id=task_id, revealed=1, last_revealed_at=now))
        await session.flush()
    return Reveal(RevealOutcome.REVEALED, replace(state, revealed=expected + 1))
