"""Every achievement must be earnable with the published tasks: the proof and its messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.content.files import Parsed, read_content
from core.content.reachability import ceiling, unreachable_achievements
from core.content.schema import AchievementFile, TaskFile
from tests.support.content_factories import achievement_document, task_document

DATA = Path(__file__).parents[3] / "data"


def _tasks(*documents: dict[str, Any]) -> list[Parsed[TaskFile]]:
    return [
        Parsed(Path(f"data/tasks/{d['slug']}.json"), TaskFile.model_validate(d)) for d in documents
    ]


def _achievement(condition: dict[str, Any]) -> list[Parsed[AchievementFile]]:
    document = achievement_document("goal", condition=condition)
    return [Parsed(Path("data/achievements/goal.json"), AchievementFile.model_validate(document))]


TWO_TASKS = _tasks(
    task_document("one", points=40),
    task_document("two", difficulty="hard", points=60),
    task_document("draft", points=500, published=False),
)


def test_the_ceiling_counts_published_tasks_only() -> None:
    best = ceiling([t.item for t in TWO_TASKS])
    assert (best.points, best.solved, best.first_try, best.daily) == (100, 2, 2, 2)
    assert best.solved_by_difficulty == {"easy": 1, "medium": 0, "hard": 1}


def test_without_published_tasks_nothing_is_reachable() -> None:
    assert ceiling([]).best_streak == 0


@pytest.mark.parametrize(
    "condition",
    [
        {"points": 100},
        {"solved": 2},
        {"first_try": 2},
        {"daily": 2},
        {"streak": 365},
        {"solved_difficulty": {"easy": 1, "hard": 1}},
        {"all": [{"points": 100}, {"solved_difficulty": {"hard": 1}}, {"streak": 30}]},
    ],
)
def test_achievements_within_the_content_pass(condition: dict[str, Any]) -> None:
    assert unreachable_achievements(TWO_TASKS, _achievement(condition)) == []


@pytest.mark.parametrize(
    ("condition", "reason"),
    [
        ({"points": 101}, "needs 101 points, but the published tasks give at most 100"),
        ({"solved": 3}, "needs 3 solves, but only 2 tasks are published"),
        ({"first_try": 3}, "needs 3 first-try solves, but only 2 tasks are published"),
        ({"daily": 3}, "needs 3 daily challenges, but only 2 tasks are published"),
        (
            {"solved_difficulty": {"easy": 1, "medium": 1}},
            "needs 1 medium solves, but only 0 medium tasks are published",
        ),
        (
            {"all": [{"streak": 30}, {"solved_difficulty": {"hard": 2}}]},
            "needs 2 hard solves, but only 1 hard tasks are published",
        ),
    ],
)
def test_unreachable_achievements_say_why(condition: dict[str, Any], reason: str) -> None:
    (problem,) = unreachable_achievements(TWO_TASKS, _achievement(condition))
    assert (problem.file, problem.field) == ("data/achievements/goal.json", "condition")
    assert problem.reason.startswith(f"cannot be earned with the shipped content: {reason}")


def test_a_streak_needs_a_published_task() -> None:
    (problem,) = unreachable_achievements(_tasks(), _achievement({"streak": 3}))
    assert "needs a 3-day streak, but no task is published" in problem.reason


def test_every_shipped_achievement_can_be_earned() -> None:
    content = read_content(DATA)
    assert [str(p) for p in unreachable_achievements(content.tasks, content.achievements)] == []
