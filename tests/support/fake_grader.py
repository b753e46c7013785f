"""A small stand-in grader for tests that do not need the real sandbox.

Code found in the grader's `programs` runs as that scripted program (a function of each test's
input), graded by the real grader. Otherwise the code's first line decides the verdict:
`# accept`, `# wrong` (the first test fails), `# leak` (LEAK: echoes every input and raises it
on hidden tests, graded by the real grader), `# busy` (the grader's queue is full), `# down`
(the engine is unreachable) or `# crash`; any other code is a mistake in the test.
The real sandbox is exercised by tests/sandbox and by the flow's sandbox tests.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.content.files import read_content
from core.content.loader import load_content
from core.db import session_scope
from sandbox import (
    Comparison,
    DockerUnavailable,
    GradeResult,
    Outcome,
    RunLimits,
    RunResult,
    SandboxBusy,
    TestCase,
    TestResult,
    TestRun,
    Verdict,
)
from sandbox.grader import grade_run
from tests.support.content_factories import task_document, write_json

#: a scripted program: what it prints for one test's input; what it raises is a runtime error
Program = Callable[[str], str]
TRACEBACK = "Traceback (most recent call last):\n"
COMMANDS = ("# accept", "# wrong", "# leak", "# busy", "# down", "# crash")
SECRET_INPUT = "HIDDEN-INPUT-3e8b"
SECRET_OUTPUT = "HIDDEN-OUTPUT-a41f"
SECRETS = (SECRET_INPUT, SECRET_OUTPUT)
#: a program that tries to reveal a hidden test: it echoes its input to stdout and stderr,
#: then raises it on anything but the visible example
LEAK = (
    "# leak\n"
    "import sys\n"
    "line = input()\n"
    "print(line)\n"
    "print(line, file=sys.stderr)\n"
    "if line != 'a':\n"
    "    raise Exception(line)\n"
)


def secret_task_document(slug: str = "secret-echo") -> dict[str, Any]:
    """A task whose hidden test's input and expected output are marker strings (SECRETS)."""
    return task_document(
        slug,
        title="Secret echo",
        statement="Print the line you read.",
        solution="print(input())\n",
        wrong_solutions=[{"code": "print(1)\n", "why": "prints a constant"}],
        tests=[
            {"input": "a\n", "output": "a\n", "hidden": False},
            {"input": f"{SECRET_INPUT}\n", "output": f"{SECRET_OUTPUT}\n", "hidden": True},
        ],
    )


async def load_secret_task(sessions: async_sessionmaker[AsyncSession], folder: Path) -> None:
    """Put the task of secret_task_document() into the database (content files under `folder`)."""
    write_json(folder / "tasks" / "secret-echo.json", secret_task_document())
    async with session_scope(sessions) as session:
        await load_content(session, read_content(folder))


def _leaking_run(index: int, case: TestCase) -> TestRun:
    """What LEAK does on one test."""
    echoed = case.input.encode()
    return TestRun(
        index=index,
        outcome=Outcome.RUNTIME_ERROR if case.hidden else Outcome.OK,
        exit_code=1 if case.hidden else 0,
        signal=None,
        time_ms=1.5,
        stdout=echoed,
        stderr=echoed,
        error=f"{TRACEBACK}Exception: {case.input}" if case.hidden else None,
    )


def _scripted_run(index: int, case: TestCase, program: Program) -> TestRun:
    """What `program` does on one test, as the sandbox reports it."""
    stdout, error = "", None
    try:
        stdout = program(case.input)
    except Exception as exc:
        error = TRACEBACK + "".join(traceback.format_exception_only(exc))
    return TestRun(
        index=index,
        outcome=Outcome.OK if error is None else Outcome.RUNTIME_ERROR,
        exit_code=0 if error is None else 1,
        signal=None,
        time_ms=1.5,
        stdout=stdout.encode(),
        stderr=b"",
        error=error,
    )


def _graded(
    runs: Sequence[TestRun], cases: Sequence[TestCase], comparison: Comparison | None
) -> GradeResult:
    """The real grader's verdict on scripted runs."""
    return grade_run(RunResult(tests=tuple(runs), time_ms=12.0), cases, comparison or Comparison())


class ScriptedGrader:
    """Grades scripted programs, else by the code's first line; `before_grade` runs first (to
    observe the database)."""

    def __init__(
        self,
        before_grade: Callable[[], Awaitable[None]] | None = None,
        programs: Mapping[str, Program] | None = None,
    ) -> None:
        self.before_grade = before_grade
        self.programs = programs or {}
        self.calls = 0

    async def grade(
        self,
        code: str,
        cases: Sequence[TestCase],
        comparison: Comparison | None = None,
        limits: RunLimits | None = None,
        *,
        job_id: str | None = None,
    ) -> GradeResult:
        """Pretend to run `code` on `cases`."""
        self.calls += 1
        if self.before_grade is not None:
            await self.before_grade()
        await asyncio.sleep(0)
        if code in self.programs:
            program = self.programs[code]
            runs = [_scripted_run(i, case, program) for i, case in enumerate(cases)]
            return _graded(runs, cases, comparison)
        command = code.splitlines()[0]
        if command == "# leak":
            runs = [_leaking_run(i, case) for i, case in enumerate(cases)]
            return _graded(runs, cases, comparison)
        if command not in COMMANDS:
            raise AssertionError(f"no script for {code!r}")
        if command == "# busy":
            raise SandboxBusy("queue full")
        if command == "# down":
            raise DockerUnavailable("unix:///nowhere", "no such socket")
        if command == "# crash":
            raise RuntimeError("power cut")
        wrong = command == "# wrong"
        tests = tuple(
            TestResult(
                index=i,
                passed=not (wrong and i == 0),
                hidden=case.hidden,
                verdict=Verdict.WRONG_ANSWER if wrong and i == 0 else Verdict.ACCEPTED,
                time_ms=1.5,
                stdout="nope\n" if wrong and i == 0 else case.expected,
                stderr="",
                exit_code=0,
            )
            for i, case in enumerate(cases)
        )
        verdict = Verdict.WRONG_ANSWER if wrong else Verdict.ACCEPTED
        return GradeResult(
            verdict=verdict, tests=tests, time_ms=12.0, first_failed=0 if wrong else None
        )
