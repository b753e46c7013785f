"""The shipped tasks carry hints: the hardest ones always, enough of the others to matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.content.files import Parsed, read_content
from core.content.schema import Difficulty, TaskFile

DATA = Path(__file__).parents[2] / "data"
TASKS = read_content(DATA).tasks
HARD = [p for p in TASKS if p.item.difficulty is Difficulty.HARD]


def test_at_least_thirty_tasks_carry_hints() -> None:
    with_hints = [p.item.slug for p in TASKS if p.item.hints]
    assert len(with_hints) >= 30, f"only {len(with_hints)} tasks have hints"


@pytest.mark.parametrize("parsed", HARD, ids=lambda p: p.item.slug)
def test_every_hard_task_has_at_least_two_hints(parsed: Parsed[TaskFile]) -> None:
    assert len(parsed.item.hints) >= 2
