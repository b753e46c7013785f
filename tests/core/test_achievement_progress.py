"""Progress toward an achievement reads the numbers its condition compares, part by part."""

from __future__ import annotations

import pytest

from core.achievement_progress import Measure, Step, steps
from core.achievements import LearnerStats, is_met

STATS = LearnerStats(
    points=35, solved=3, best_streak=4, solved_by_difficulty={"easy": 2, "hard": 1}, daily=1
)


def test_each_part_of_a_condition_is_a_step_capped_at_its_target() -> None:
    condition = {"all": [{"streak": 7}, {"solved_difficulty": {"easy": 1, "hard": 2}}]}
    assert steps(condition, STATS) == [
        Step(Measure.STREAK, 4, 7),
        Step(Measure.EASY, 1, 1),
        Step(Measure.HARD, 1, 2),
    ]
    assert [s.done for s in steps(condition, STATS)] == [False, True, False]


@pytest.mark.parametrize(
    "condition", [{"points": 30}, {"solved": 4}, {"daily": 1}, {"first_try": 1}]
)
def test_a_condition_is_met_exactly_when_every_step_is_done(condition: dict[str, int]) -> None:
    assert all(step.done for step in steps(condition, STATS)) == is_met(condition, STATS)


def test_an_unknown_condition_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown achievement condition 'karma'"):
        steps({"karma": 3}, STATS)
