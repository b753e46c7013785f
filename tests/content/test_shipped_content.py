"""The content that ships: enough tasks across the curriculum, each proved in the sandbox."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from core.content.files import read_content
from core.content.schema import Difficulty
from sandbox import CompareMode
from tests.support.cli_runner import codestreak

DATA = Path(__file__).parents[2] / "data"
CURRICULUM = {
    "strings", "math", "lists", "dicts", "sets", "comprehensions", "functions", "recursion",
    "sorting", "searching", "classes", "generators", "parsing", "dates", "simulation", "dp",
    "graphs",
}  # fmt: skip
#: what tasks that call the learner's function or class must teach between them
CALL_CURRICULUM = {
    "functions", "exceptions", "classes", "inheritance", "dunder-methods", "dataclasses",
    "enums", "iterators", "generators", "decorators", "context-managers",
}  # fmt: skip
#: standard-library topics that stdin tasks must teach
LIBRARY_TOPICS = {"json", "decimal", "fractions", "stacks", "intervals", "itertools", "unicode"}


def test_every_file_is_valid() -> None:
    content = read_content(DATA)
    assert [str(p) for p in content.problems] == []


def test_enough_tasks_of_each_difficulty() -> None:
    counts = Counter(p.item.difficulty.value for p in read_content(DATA).tasks)
    assert counts["easy"] >= 20
    assert counts["medium"] >= 25
    assert counts["hard"] >= 15
    assert sum(counts.values()) >= 60


def test_tasks_span_the_curriculum() -> None:
    tags = {tag for p in read_content(DATA).tasks for tag in p.item.tags}
    assert tags >= CURRICULUM


def test_function_call_tasks_teach_the_language_itself() -> None:
    calls = [p.item for p in read_content(DATA).tasks if p.item.compare.mode is CompareMode.CALL]
    assert len(calls) >= 15
    assert {tag for task in calls for tag in task.tags} >= CALL_CURRICULUM


def test_stdin_tasks_teach_the_standard_library() -> None:
    tags = {
        tag
        for p in read_content(DATA).tasks
        if p.item.compare.mode is not CompareMode.CALL
        for tag in p.item.tags
    }
    assert tags >= LIBRARY_TOPICS


def test_an_on_ramp_of_very_easy_tasks_leads_in() -> None:
    tasks = [p.item for p in read_content(DATA).tasks]
    easiest = [t for t in tasks if t.difficulty is Difficulty.EASY and t.awarded_points <= 5]
    assert len(easiest) >= 8
    assert max(t.awarded_points for t in easiest) < min(
        t.awarded_points for t in tasks if t.difficulty is not Difficulty.EASY
    )


@pytest.mark.parametrize("parsed", read_content(DATA).tasks, ids=lambda p: p.item.slug)
def test_each_task_is_well_formed(parsed: object) -> None:
    task = parsed.item  # type: ignore[attr-defined]
    assert len(task.tests) >= 5
    assert sum(t.hidden for t in task.tests) >= 2
    assert "Example" in task.statement or "example" in task.statement
    assert task.template.strip()
    assert task.template != task.solution
    assert task.wrong_solutions


def test_achievements_cover_every_kind_of_condition() -> None:
    achievements = read_content(DATA).achievements
    assert len(achievements) >= 15
    kinds = {
        kind
        for a in achievements
        for kind, value in a.item.condition.model_dump(exclude_none=True).items()
    }
    assert kinds >= {"points", "solved", "streak", "solved_difficulty", "first_try", "daily", "all"}


@pytest.mark.docker
def test_every_reference_passes_and_every_wrong_solution_fails_in_the_sandbox(
    sandbox_image: str, tmp_path: Path
) -> None:
    result = codestreak(
        "content",
        "check",
        "--sandbox",
        "--dir",
        str(DATA),
        cwd=tmp_path,
        env={"SANDBOX_IMAGE": sandbox_image},
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "All content is valid." in result.stdout
    assert result.stdout.count("reference accepted") == len(read_content(DATA).tasks)
