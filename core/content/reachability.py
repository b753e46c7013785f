"""Proving from the shipped content that every achievement can be earned.

A learner who solves every published task of the shared catalogue, each on the first try,
without hints and on the day it is a server's daily challenge, while keeping a daily streak,
reaches the maximum of every statistic at once. So an achievement can be earned exactly when
each of its conditions holds for that learner, and `all` needs nothing more than each part.

The ceilings: points are the sum of the published tasks' points (daily bonuses are not counted:
they depend on each server's setting and on catching every task as its daily challenge); solves
and first-try solves are the number of published tasks; daily credits too (a task counts once
toward daily challenges, however often it is posted); streaks are unbounded, since a daily
challenge is posted every day as long as one task is published.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator, Sequence

from core.achievements import LearnerStats, is_met
from core.content.files import Parsed, Problem
from core.content.schema import AchievementFile, Condition, Difficulty, TaskFile


def ceiling(tasks: Sequence[TaskFile]) -> LearnerStats:
    """The best statistics any learner can reach with these tasks (see the module's note)."""
    published = [task for task in tasks if task.published]
    if not published:
        return LearnerStats()
    by_difficulty = Counter(task.difficulty.value for task in published)
    return LearnerStats(
        points=sum(task.awarded_points for task in published),
        solved=len(published),
        best_streak=sys.maxsize,
        solved_by_difficulty={d.value: by_difficulty[d.value] for d in Difficulty},
        first_try=len(published),
        daily=len(published),
    )


def _leaves(condition: Condition) -> Iterator[Condition]:
    """The threshold conditions inside a condition, `all` flattened."""
    if condition.all is not None:
        for part in condition.all:
            yield from _leaves(part)
    else:
        yield condition


def _why_not(condition: Condition, best: LearnerStats) -> str:
    """Why a threshold condition is out of reach, with the most the content allows."""
    kind, value = next((k, v) for k, v in condition if v is not None)
    match kind:
        case "points":
            return (
                f"needs {value} points, but the published tasks give at most {best.points} "
                "(daily bonuses are not counted: they depend on each server)"
            )
        case "solved_difficulty":
            short = {d: n for d, n in value.items() if best.solved_by_difficulty.get(d, 0) < n}
            return "; ".join(
                f"needs {n} {d.value} solves, but only "
                f"{best.solved_by_difficulty.get(d, 0)} {d.value} tasks are published"
                for d, n in short.items()
            )
        case "streak":
            return f"needs a {value}-day streak, but no task is published to keep one"
    what = {"solved": "solves", "first_try": "first-try solves", "daily": "daily challenges"}
    return f"needs {value} {what[kind]}, but only {best.solved} tasks are published"


def unreachable_achievements(
    tasks: Sequence[Parsed[TaskFile]], achievements: Sequence[Parsed[AchievementFile]]
) -> list[Problem]:
    """A problem for every achievement that no learner can earn with the published tasks."""
    best = ceiling([parsed.item for parsed in tasks])
    problems: list[Problem] = []
    for parsed in achievements:
        for leaf in _leaves(parsed.item.condition):
            if not is_met(leaf.model_dump(mode="json", exclude_none=True), best):
                reason = f"cannot be earned with the shipped content: {_why_not(leaf, best)}"
                problems.append(Problem(str(parsed.path), "condition", reason))
    return problems
