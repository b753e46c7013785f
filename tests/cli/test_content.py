"""`codestreak db upgrade`, `content check`, `content load` and `content schema` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli_runner import codestreak
from tests.support.content_factories import (
    achievement_document,
    content_folder,
    task_document,
    weak_task_document,
    write_json,
)


def _env(tmp_path: Path, folder: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/fresh.db",
        "CONTENT_DIR": str(folder),
    }


def test_upgrade_then_load_then_reload_reports_no_changes(tmp_path: Path) -> None:
    env = _env(tmp_path, content_folder(tmp_path, tasks=2, achievements=1))
    upgraded = codestreak("db", "upgrade", cwd=tmp_path, env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    first = codestreak("content", "load", "--no-verify", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "tasks: 2 created" in first.stdout
    assert "achievements: 1 created" in first.stdout
    second = codestreak("content", "load", "--no-verify", cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stderr
    assert "No changes." in second.stdout
    assert "2 unchanged" in second.stdout


def test_check_counts_by_difficulty(tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=2, achievements=3)
    write_json(folder / "tasks" / "hard-one.json", task_document("hard-one", difficulty="hard"))
    result = codestreak("content", "check", cwd=tmp_path, env=_env(tmp_path, folder))
    assert result.returncode == 0, result.stderr
    assert "3 tasks (2 easy, 0 medium, 1 hard), 3 achievements." in result.stdout


def test_check_names_file_and_field_and_exits_1(tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=1, achievements=0)
    broken = task_document("broken")
    del broken["title"]
    broken["points"] = "many"
    write_json(folder / "tasks" / "broken.json", broken)
    result = codestreak("content", "check", cwd=tmp_path, env=_env(tmp_path, folder))
    assert result.returncode == 1
    assert "data/tasks/broken.json: title: Field required" in result.stderr
    assert "data/tasks/broken.json: points:" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_in_the_sandbox_without_an_engine_says_so(tmp_path: Path) -> None:
    env = {
        **_env(tmp_path, content_folder(tmp_path, tasks=1, achievements=0)),
        "SANDBOX_DOCKER_URL": f"unix://{tmp_path}/no-docker.sock",
    }
    result = codestreak("content", "check", "--sandbox", cwd=tmp_path, env=env)
    assert result.returncode == 3
    assert "Cannot verify tasks: cannot reach the Docker engine" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_load_with_a_bad_file_loads_nothing(tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=2, achievements=0)
    write_json(folder / "tasks" / "bad.json", task_document("bad", tests="none"))
    env = _env(tmp_path, folder)
    assert codestreak("db", "upgrade", cwd=tmp_path, env=env).returncode == 0
    result = codestreak("content", "load", "--no-verify", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "Nothing was loaded." in result.stderr
    again = codestreak(
        "content",
        "load",
        "--no-verify",
        "--dir",
        str(content_folder(tmp_path / "ok")),
        cwd=tmp_path,
        env=env,
    )
    assert "tasks: 2 created" in again.stdout


def test_unreachable_database_gives_a_clear_message(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "mysql+aiomysql://nobody:secret@127.0.0.1:1/codestreak"}
    result = codestreak("db", "upgrade", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "Could not migrate mysql+aiomysql://nobody:***@127.0.0.1:1/codestreak" in result.stderr
    assert "secret" not in result.stderr
    assert "Traceback" not in result.stderr


def test_schema_is_written_for_editors(tmp_path: Path) -> None:
    result = codestreak("content", "schema", "--out", "schemas", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    schema = json.loads((tmp_path / "schemas" / "task.schema.json").read_text())
    assert {"slug", "tests", "wrong_solutions", "compare"} <= set(schema["properties"])
    assert (tmp_path / "schemas" / "achievement.schema.json").exists()


def test_production_with_a_placeholder_secret_is_refused(tmp_path: Path) -> None:
    result = codestreak("db", "upgrade", cwd=tmp_path, env={"ENVIRONMENT": "production"})
    assert result.returncode == 2
    assert "Invalid setting" in result.stderr
    assert "SECRET_KEY is a placeholder" in result.stderr
    assert "Traceback" not in result.stderr


def _weak_folder(tmp_path: Path) -> Path:
    folder = content_folder(tmp_path, tasks=0, achievements=0)
    write_json(folder / "tasks" / "count-positives.json", weak_task_document())
    return folder


def test_mutate_an_unknown_task_says_so(tmp_path: Path) -> None:
    env = _env(tmp_path, _weak_folder(tmp_path))
    result = codestreak("content", "mutate", "count-positives", "nope", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "No such task: nope." in result.stderr
    assert "Traceback" not in result.stderr


def test_the_mutation_floor_needs_the_sandbox(tmp_path: Path) -> None:
    env = _env(tmp_path, _weak_folder(tmp_path))
    result = codestreak("content", "check", "--mutation", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert "--mutation needs --sandbox" in result.stderr


@pytest.mark.docker
def test_mutate_reports_survivors_with_their_exposing_input(
    sandbox_image: str, tmp_path: Path
) -> None:
    env = {**_env(tmp_path, _weak_folder(tmp_path)), "SANDBOX_IMAGE": sandbox_image}
    text = codestreak("content", "mutate", cwd=tmp_path, env=env, timeout=300)
    assert text.returncode == 0, text.stderr
    assert "[1/1] count-positives:" in text.stderr
    assert "count-positives: 3/5 mutants killed (60.0%)" in text.stdout
    assert "→ `v >= 0`" in text.stdout
    assert "smallest exposing input: '0\\n'" in text.stdout
    assert "Total: 3/5 mutants killed (60.0%); 0 of 1 tasks reach the 95% floor;" in text.stdout
    as_json = codestreak("content", "mutate", "--json", cwd=tmp_path, env=env, timeout=300)
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    (task,) = report["tasks"]
    assert (task["slug"], task["killed"], task["counted"]) == ("count-positives", 3, 5)
    assert {s["exposing_input"] for s in task["survivors"]} == {"0\n"}
    assert report["tasks_meeting_floor"] == 0


@pytest.mark.docker
def test_check_with_mutation_fails_a_task_below_the_floor(
    sandbox_image: str, tmp_path: Path
) -> None:
    env = {**_env(tmp_path, _weak_folder(tmp_path)), "SANDBOX_IMAGE": sandbox_image}
    result = codestreak(
        "content", "check", "--sandbox", "--mutation", cwd=tmp_path, env=env, timeout=300
    )
    assert result.returncode == 1
    assert "count-positives: 3/5 mutants killed (60.0%)" in result.stdout
    assert (
        "data/tasks/count-positives.json: tests: the tests kill 60.0% of the reference's "
        "mutants, below the 95% floor (2 survive, 0 not run)"
    ) in result.stderr


def test_check_fails_an_achievement_the_content_cannot_give(tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=2, achievements=0)
    write_json(
        folder / "achievements" / "too-many.json",
        achievement_document("too-many", condition={"solved": 3}),
    )
    result = codestreak("content", "check", cwd=tmp_path, env=_env(tmp_path, folder))
    assert result.returncode == 1
    assert (
        "data/achievements/too-many.json: condition: cannot be earned with the shipped content: "
        "needs 3 solves, but only 2 tasks are published"
    ) in result.stderr
    assert "Traceback" not in result.stderr
