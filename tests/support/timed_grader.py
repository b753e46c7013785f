"""A stand-in for the sandbox that answers each program with a scripted verdict and times."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sandbox import Comparison, GradeResult, RunLimits, TestCase, TestResult, Verdict


@dataclass
class TimedGrader:
    """Grades a program by looking it up in `runs`: its verdict and, per case run, a time in
    ms (the last case run is the one that failed); remembers the limits and case counts asked."""

    runs: dict[str, tuple[Verdict, list[float]]]
    limits: list[RunLimits | None] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)

    async def grade(
        self,
        code: str,
        cases: Sequence[TestCase],
        comparison: Comparison | None = None,
        limits: RunLimits | None = None,
        *,
        job_id: str | None = None,
    ) -> GradeResult:
        """The scripted result of `code` on `cases`."""
        self.limits.append(limits)
        self.cases.append(len(cases))
        verdict, times = self.runs[code]
        failed = None if verdict is Verdict.ACCEPTED else len(times) - 1
        tests = tuple(
            TestResult(
                index=i,
                passed=failed is None or i < failed,
                hidden=False,
                verdict=None if i >= len(times) else (verdict if i == failed else Verdict.ACCEPTED),
                time_ms=times[i] if i < len(times) else None,
                stdout="",
                stderr="",
                exit_code=0,
            )
            for i in range(len(cases))
        )
        return GradeResult(verdict=verdict, tests=tests, time_ms=sum(times), first_failed=failed)
