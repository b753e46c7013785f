"""`codestreak grade`: grade one solution file against one task in the sandbox."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.sandbox import private_pool
from core.content.files import parse_document
from core.content.schema import TaskFile
from core.content.verify import grade_with_retry
from core.settings import get_settings
from sandbox import GradeResult, SandboxError, Verdict

USAGE_ERROR = 2
SANDBOX_DOWN = 3


def _fail(message: str, code: int) -> typer.Exit:
    typer.secho(message, fg="red", err=True)
    return typer.Exit(code)


def _task_path(task: str) -> Path:
    """A task given as a file path, or as a slug in the content folder."""
    given = Path(task)
    if given.suffix == ".json" or given.exists():
        return given
    return get_settings().content_dir / "tasks" / f"{task}.json"


def load_task(task: str) -> TaskFile:
    """The task to grade against, or exit 2 with what is wrong."""
    path = _task_path(task)
    if not path.is_file():
        raise _fail(f"No task '{task}': {path} does not exist.", USAGE_ERROR)
    parsed, problems = parse_document(str(path), path.read_bytes(), TaskFile)
    if parsed is None:
        raise _fail("\n".join(str(p) for p in problems), USAGE_ERROR)
    return parsed


async def grade_once(task: TaskFile, code: str) -> GradeResult:
    """Start a one-container pool of our own, grade, and remove it."""
    async with private_pool() as pool:
        return await grade_with_retry(pool, code, task)


def as_json(result: GradeResult) -> dict[str, Any]:
    """The result as printed by `--json`."""
    return {
        "verdict": result.verdict.value,
        "time_ms": round(result.time_ms, 1),
        "message": result.message,
        "tests": [
            {
                "index": t.index,
                "passed": t.passed,
                "hidden": t.hidden,
                "verdict": t.verdict.value if t.verdict else None,
                "time_ms": None if t.time_ms is None else round(t.time_ms, 1),
            }
            for t in result.tests
        ],
    }


def _print_human(result: GradeResult) -> None:
    passed = sum(t.passed for t in result.tests)
    colour = "green" if result.verdict is Verdict.ACCEPTED else "red"
    typer.secho(
        f"{result.verdict.value}: {passed}/{len(result.tests)} tests passed "
        f"in {result.time_ms:.0f} ms",
        fg=colour,
        bold=True,
    )
    for t in result.tests:
        status = "pass" if t.passed else (t.verdict.value if t.verdict else "not run")
        time_ms = "" if t.time_ms is None else f" {t.time_ms:.0f} ms"
        typer.echo(f"  test {t.index + 1}{' (hidden)' if t.hidden else ''}: {status}{time_ms}")
    if result.message:
        typer.echo(result.message.rstrip())


def grade(
    task: Annotated[
        str, typer.Argument(help="A task slug (from CONTENT_DIR) or a task .json file.")
    ],
    solution: Annotated[Path, typer.Argument(help="The Python file to grade.")],
    as_json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Grade a solution against a task in the sandbox; exit 0 when accepted, 1 when not."""
    parsed = load_task(task)
    if not solution.is_file():
        raise _fail(f"No solution file {solution}.", USAGE_ERROR)
    try:
        code = solution.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(f"{solution} is not UTF-8 text.", USAGE_ERROR) from exc
    try:
        result = asyncio.run(grade_once(parsed, code))
    except SandboxError as exc:
        raise _fail(f"Cannot grade: {exc}", SANDBOX_DOWN) from exc
    if as_json_output:
        typer.echo(json.dumps(as_json(result)))
    else:
        _print_human(result)
    raise typer.Exit(0 if result.verdict is Verdict.ACCEPTED else 1)
