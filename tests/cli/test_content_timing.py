"""`codestreak content timing`: the reference against the wrong solutions marked slow."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli_runner import codestreak
from tests.support.content_factories import task_document, write_json

#: correct and as fast as the reference, so marking it slow is a false claim
NOT_SLOW = "line = input()\nprint(line + '\\n' + line)\n"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    wrong = [
        {"code": "print(input())\n", "why": "prints once"},
        {"code": NOT_SLOW, "why": "said to be too slow", "slow": True},
    ]
    write_json(folder / "tasks" / "echo-twice.json", task_document(wrong_solutions=wrong))
    write_json(folder / "tasks" / "echo-plain.json", task_document("echo-plain"))
    return folder


def test_timing_an_unknown_task_says_so(tmp_path: Path) -> None:
    env = {"CONTENT_DIR": str(_folder(tmp_path))}
    result = codestreak("content", "timing", "nope", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "No such task: nope." in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.docker
def test_a_slow_solution_that_passes_is_reported_and_fails_the_command(
    sandbox_image: str, tmp_path: Path
) -> None:
    env = {"CONTENT_DIR": str(_folder(tmp_path)), "SANDBOX_IMAGE": sandbox_image}
    result = codestreak("content", "timing", cwd=tmp_path, env=env, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "timing echo-twice…" in result.stderr
    assert "echo-plain" not in result.stdout + result.stderr
    assert "echo-twice: reference " in result.stdout
    assert "  slow 'said to be too slow': " in result.stdout
    assert "  ! 'said to be too slow' passes every test, the slowest in " in result.stdout
    assert "1 task(s) timed, 1 slow solution(s), 1 with findings (margin wanted: 5×)" in (
        result.stdout
    )
