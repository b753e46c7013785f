"""A small stand-in grader for flow tests that do not need the real sandbox.

The code's first line decides the verdict: `# accept`, `# wrong` (the first test fails),
`# busy` (the grader's queue is full), `# down` (the engine is unreachable) or `# crash`.
The real sandbox is exercised by tests/sandbox and by the flow's sandbox tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from sandbox import (
    Comparison,
    DockerUnavailable,
    GradeResult,
    RunLimits,
    SandboxBusy,
    TestCase,
    TestResult,
    Verdict,
)


class ScriptedGrader:
    """Grades by the code's first line; `before_grade` runs first (to observe the database)."""

    def __init__(self, before_grade: Callable[[], Awaitable[None]] | None = None) -> None:
        self.before_grade = before_grade
        self.calls = 0

    async def grade(
        self,
        code: str,
        cases: Sequence[TestCase],
        comparison: Comparison | None = None,
        limits: RunLimits | None = None,
    ) -> GradeResult:
        """Pretend to run `code` on `cases`."""
        self.calls += 1
        if self.before_grade is not None:
            await self.before_grade()
        await asyncio.sleep(0)
        command = code.splitlines()[0]
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
