"""Content validation reports every problem as file, field and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.content.files import read_content
from core.content.schema import AchievementFile, TaskFile
from tests.support.content_factories import (
    achievement_document,
    content_folder,
    task_document,
    write_json,
)


def _problems(folder: Path) -> list[tuple[str, str, str]]:
    return [(p.file, p.field, p.reason) for p in read_content(folder).problems]


def test_valid_folder_has_no_problems(tmp_path: Path) -> None:
    content = read_content(content_folder(tmp_path, tasks=3, achievements=2))
    assert content.ok
    assert [p.item.slug for p in content.tasks] == ["task-0", "task-1", "task-2"]
    assert len(content.achievements) == 2


def test_points_default_from_difficulty() -> None:
    assert TaskFile.model_validate(task_document(difficulty="hard")).points == 40
    assert TaskFile.model_validate(task_document(points=7)).points == 7


def test_missing_field_names_file_and_field(tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=0, achievements=0)
    document = task_document("broken")
    del document["solution"]
    write_json(folder / "tasks" / "broken.json", document)
    assert _problems(folder) == [("data/tasks/broken.json", "solution", "Field required")]


def test_wrong_type_names_nested_field(tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=0, achievements=0)
    document = task_document("typed")
    document["tests"][1]["hidden"] = "sometimes"
    document["limits"] = {"time_s": "fast"}
    write_json(folder / "tasks" / "typed.json", document)
    fields = {field for _, field, _ in _problems(folder)}
    assert fields == {"tests[1].hidden", "limits.time_s"}


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=1, achievements=0)
    write_json(folder / "tasks" / "a-bad.json", task_document("a-bad", difficulty="brutal"))
    write_json(folder / "tasks" / "z-bad.json", task_document("z-bad", tests=[]))
    files = sorted(file for file, _, _ in _problems(folder))
    assert files == ["data/tasks/a-bad.json", "data/tasks/z-bad.json"]


def test_invalid_json_reports_position(tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=0, achievements=0)
    (folder / "tasks").mkdir(parents=True)
    (folder / "tasks" / "oops.json").write_text('{"slug": "oops",\n  "title": }')
    [(file, field, reason)] = _problems(folder)
    assert (file, field) == ("data/tasks/oops.json", "(file)")
    assert "line 2" in reason


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=0, achievements=0)
    (folder / "tasks").mkdir(parents=True)
    (folder / "tasks" / "latin.json").write_bytes(b'{"title": "caf\xe9"}')
    assert _problems(folder) == [("data/tasks/latin.json", "(file)", "not UTF-8 (byte 14)")]


def test_slug_must_match_file_name(tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=0, achievements=0)
    write_json(folder / "tasks" / "one.json", task_document("two"))
    [(_, field, reason)] = _problems(folder)
    assert field == "slug"
    assert "file name 'one'" in reason


@pytest.mark.parametrize("slug", ["Upper", "-dash", "a", "under_score", "x" * 65])
def test_bad_slugs_are_refused(slug: str) -> None:
    with pytest.raises(ValueError, match="slug"):
        TaskFile.model_validate(task_document(slug))


def test_unknown_field_is_refused() -> None:
    with pytest.raises(ValueError, match="answer"):
        TaskFile.model_validate(task_document(answer="42"))


def test_a_visible_example_is_required() -> None:
    tests = [{"input": "1\n", "output": "1\n", "hidden": True}]
    with pytest.raises(ValueError, match="at least one test must be visible"):
        TaskFile.model_validate(task_document(tests=tests))


def test_wrong_solutions_are_required() -> None:
    with pytest.raises(ValueError, match="wrong_solutions"):
        TaskFile.model_validate(task_document(wrong_solutions=[]))


def test_float_mode_gets_default_tolerance_and_others_refuse_one() -> None:
    task = TaskFile.model_validate(task_document(compare={"mode": "float"}))
    assert task.compare.tolerance == 1e-6
    with pytest.raises(ValueError, match="tolerance is only used"):
        TaskFile.model_validate(task_document(compare={"mode": "exact", "tolerance": 0.1}))


@pytest.mark.parametrize(
    "condition",
    [
        {"points": 100},
        {"solved": 5},
        {"streak": 7},
        {"solved_difficulty": {"hard": 3}},
        {"first_try": 10},
        {"daily": 1},
        {"all": [{"streak": 3}, {"solved_difficulty": {"medium": 2, "hard": 1}}]},
    ],
)
def test_every_condition_kind_is_accepted(condition: dict[str, object]) -> None:
    achievement = AchievementFile.model_validate(achievement_document(condition=condition))
    assert achievement.condition.model_dump(mode="json", exclude_none=True) == condition


@pytest.mark.parametrize(
    "condition",
    [{}, {"points": 1, "solved": 1}, {"karma": 3}, {"solved_difficulty": {}}, {"streak": 0}],
)
def test_bad_conditions_are_refused(condition: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="condition"):
        AchievementFile.model_validate(achievement_document(condition=condition))


def test_missing_folder_is_a_problem(tmp_path: Path) -> None:
    [problem] = read_content(tmp_path / "nowhere").problems
    assert problem.reason == "no such folder"
