"""`codestreak grade`, `content check --sandbox` and verified `content load`, on the real engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli_runner import codestreak
from tests.support.content_factories import content_folder, task_document, write_json

pytestmark = pytest.mark.docker

SOLUTION = "line = input()\nprint(line)\nprint(line)\n"
WRONG = "print(input())\n"


@pytest.fixture
def env(sandbox_image: str, tmp_path: Path) -> dict[str, str]:
    """Settings for a command: the test sandbox image and a fresh database."""
    return {
        "SANDBOX_IMAGE": sandbox_image,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db",
        "CONTENT_DIR": str(tmp_path / "data"),
    }


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    task = write_json(tmp_path / "data" / "tasks" / "echo-twice.json", task_document())
    good = tmp_path / "good.py"
    good.write_text(SOLUTION)
    bad = tmp_path / "bad.py"
    bad.write_text(WRONG)
    return task, good, bad


def test_grade_accepts_the_reference(tmp_path: Path, env: dict[str, str]) -> None:
    task, good, _ = _files(tmp_path)
    result = codestreak("grade", str(task), str(good), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("accepted: 2/2 tests passed")


def test_grade_by_slug_with_json_rejects_a_wrong_solution(
    tmp_path: Path, env: dict[str, str]
) -> None:
    _, _, bad = _files(tmp_path)
    result = codestreak("grade", "echo-twice", str(bad), "--json", cwd=tmp_path, env=env)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"] == "wrong_answer"
    assert [(t["passed"], t["hidden"]) for t in report["tests"]] == [(False, False), (False, True)]
    assert all(isinstance(t["time_ms"], float) for t in report["tests"])
    assert report["time_ms"] > 0


@pytest.mark.parametrize(
    ("task", "solution", "message"),
    [
        ("no-such-task", "good.py", "No task 'no-such-task'"),
        ("echo-twice", "missing.py", "No solution file"),
    ],
)
def test_grade_usage_errors_exit_2(
    tmp_path: Path, env: dict[str, str], task: str, solution: str, message: str
) -> None:
    _files(tmp_path)
    result = codestreak("grade", task, str(tmp_path / solution), cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert message in result.stderr


def test_grade_says_what_to_do_when_the_engine_is_down(tmp_path: Path, env: dict[str, str]) -> None:
    task, good, _ = _files(tmp_path)
    down = {**env, "SANDBOX_DOCKER_URL": f"unix://{tmp_path}/no-docker.sock"}
    result = codestreak("grade", str(task), str(good), cwd=tmp_path, env=down)
    assert result.returncode == 3
    assert "cannot reach the Docker engine" in result.stderr
    assert "Start the Docker engine" in result.stderr
    assert "Traceback" not in result.stderr


def test_sandbox_check_names_a_failing_reference_and_weak_tests(
    tmp_path: Path, env: dict[str, str]
) -> None:
    folder = content_folder(tmp_path, tasks=1, achievements=0)
    write_json(folder / "tasks" / "broken-ref.json", task_document("broken-ref", solution=WRONG))
    weak = task_document(
        "weak-tests", wrong_solutions=[{"code": SOLUTION + "# same\n", "why": "looks different"}]
    )
    write_json(folder / "tasks" / "weak-tests.json", weak)
    result = codestreak("content", "check", "--sandbox", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert (
        "data/tasks/broken-ref.json: solution: the reference solution does not pass its own "
        "tests: test 1: wrong_answer"
    ) in result.stderr
    assert (
        "data/tasks/weak-tests.json: wrong_solutions[0]: passes every test, so the tests do "
        "not catch 'looks different'"
    ) in result.stderr
    assert "task-0: reference accepted" in result.stdout


def test_verified_load_refuses_a_failing_reference(tmp_path: Path, env: dict[str, str]) -> None:
    folder = content_folder(tmp_path, tasks=2, achievements=0)
    write_json(folder / "tasks" / "broken-ref.json", task_document("broken-ref", solution=WRONG))
    assert codestreak("db", "upgrade", cwd=tmp_path, env=env).returncode == 0
    refused = codestreak("content", "load", cwd=tmp_path, env=env)
    assert refused.returncode == 1
    assert "broken-ref.json: solution" in refused.stderr
    assert "Nothing was loaded." in refused.stderr
    (folder / "tasks" / "broken-ref.json").unlink()
    loaded = codestreak("content", "load", cwd=tmp_path, env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "tasks: 2 created" in loaded.stdout
