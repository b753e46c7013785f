"""`content check` refuses hints that repeat each other or the reference solution, naming the
file and the hint; `content schema` describes the field for editors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli_runner import codestreak
from tests.support.content_factories import content_folder, task_document, write_json


def test_check_names_each_bad_hint_and_exits_1(tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=1, achievements=0)
    hints = [
        "Read one line.",
        "READ one  line.",
        "```\nline = input()\nprint(line)\nprint(line)\n```",
    ]
    write_json(folder / "tasks" / "leaky.json", task_document("leaky", hints=hints))
    write_json(folder / "tasks" / "fine.json", task_document("fine", hints=hints[:1]))
    result = codestreak("content", "check", cwd=tmp_path, env={"CONTENT_DIR": str(folder)})
    assert result.returncode == 1
    assert "data/tasks/leaky.json: hints[1]: repeats hint 1" in result.stderr
    assert (
        "data/tasks/leaky.json: hints[2]: repeats lines 1-3 of the reference solution"
        in result.stderr
    )
    assert "fine.json" not in result.stderr
    assert "2 problem(s) found." in result.stderr
    assert "Traceback" not in result.stderr


def test_the_schema_describes_hints(tmp_path: Path) -> None:
    result = codestreak("content", "schema", "--out", "schemas", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    schema = json.loads((tmp_path / "schemas" / "task.schema.json").read_text())
    hints = schema["properties"]["hints"]
    assert hints["maxItems"] == 5
    assert "one at a time" in hints["description"]
    assert "repeat the reference solution" in hints["description"]
