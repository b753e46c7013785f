"""Running a draft in the sandbox: validation outcomes per test, and filling expected outputs."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from core.content.files import Problem
from core.content.schema import Compare, Limits, TaskFile
from core.content.verify import TaskVerification, verify_task
from core.designer.draft import DraftTest
from core.grading import Grader, task_comparison
from sandbox import CompareMode, GradeResult, RunLimits, SandboxError, TestCase, Verdict

logger = logging.getLogger(__name__)

#: A suggested time limit gives this much room over the reference's slowest test ...
HEADROOM = 3.0
#: ... rounded up to this step, and never below the floor nor above what tasks may ask for.
LIMIT_STEP_S = 0.5
LIMIT_FLOOR_S = 1.0
LIMIT_CEILING_S = 10.0  # the most the task format allows
SUGGESTION_RULE = (
    f"three times the reference solution's slowest test, rounded up to {LIMIT_STEP_S} s, at "
    f"least {LIMIT_FLOOR_S:.0f} s: room for reasonable solutions slower than the reference and "
    "for a busy machine, while an exponential solution still runs out of time"
)


@dataclass(frozen=True, slots=True)
class TestOutcome:
    """How one program did on one test."""

    __test__ = False  # not a pytest class

    number: int
    hidden: bool
    verdict: str
    passed: bool
    time_ms: float | None


@dataclass(frozen=True, slots=True)
class ProgramOutcome:
    """How one program (the reference or a wrong solution) did, and whether that is right."""

    label: str
    must_pass: bool
    verdict: str
    as_expected: bool
    tests: tuple[TestOutcome, ...]
    message: str | None


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The sandbox's verdict on a task: every program's outcome and the timing advice."""

    programs: tuple[ProgramOutcome, ...]
    problems: tuple[Problem, ...]
    slowest_ms: float
    limit_s: float
    suggested_limit_s: float

    @property
    def passed(self) -> bool:
        """True when the reference passes every test and every wrong solution fails one."""
        return not self.problems

    @property
    def suggestion_rule(self) -> str:
        """How the suggested time limit is chosen, in words."""
        return SUGGESTION_RULE


def suggested_time_limit(slowest_ms: float) -> float:
    """A time limit for a task whose reference solution needs `slowest_ms` on its slowest test."""
    steps = math.ceil(HEADROOM * slowest_ms / 1000 / LIMIT_STEP_S - 1e-9)
    return min(LIMIT_CEILING_S, max(LIMIT_FLOOR_S, steps * LIMIT_STEP_S))


def _outcome(label: str, must_pass: bool, result: GradeResult) -> ProgramOutcome:
    passed = result.verdict is Verdict.ACCEPTED
    checked = result.verdict is not Verdict.SANDBOX_ERROR
    return ProgramOutcome(
        label=label,
        must_pass=must_pass,
        verdict=result.verdict.value,
        as_expected=checked and passed == must_pass,
        tests=tuple(
            TestOutcome(
                number=t.index + 1,
                hidden=t.hidden,
                verdict=t.verdict.value if t.verdict is not None else "not run",
                passed=t.passed,
                time_ms=t.time_ms,
            )
            for t in result.tests
        ),
        message=result.message,
    )


def report_of(verification: TaskVerification) -> ValidationReport:
    """The report of a sandbox verification, for people to read."""
    task = verification.task
    programs = [_outcome("Reference solution", True, verification.reference)]
    programs += [
        _outcome(f"Wrong solution {i}: {wrong.why}", False, result)
        for i, (wrong, result) in enumerate(
            zip(task.wrong_solutions, verification.wrong, strict=True), start=1
        )
    ]
    return ValidationReport(
        programs=tuple(programs),
        problems=verification.problems,
        slowest_ms=verification.slowest_ms,
        limit_s=task.limits.time_s,
        suggested_limit_s=suggested_time_limit(verification.slowest_ms),
    )


async def validate(grader: Grader, task: TaskFile) -> ValidationReport:
    """Run the reference and every wrong solution on every test (raises SandboxError)."""
    return report_of(await verify_task(grader, task, task.slug))


@dataclass(frozen=True, slots=True)
class Filled:
    """What filling expected outputs did: the test rows, and what went wrong where."""

    tests: list[DraftTest]
    filled: int
    errors: dict[int, str]


def _failure(number: int, verdict: Verdict | None, stderr: str) -> str:
    if verdict is None:
        return f"test {number}: not run, because an earlier test ran out of time"
    last_line = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    return f"test {number}: the reference solution ended with {verdict.value}" + (
        f" ({last_line})" if last_line else ""
    )


async def fill_expected(
    grader: Grader, solution: str, tests: list[DraftTest], limits: Limits, compare: Compare
) -> Filled:
    """Run the reference solution on the tests whose expected output is empty and fill them in.

    Filled cells are never overwritten. Errors are keyed by the test's index in `tests`.
    Raises SandboxError when the sandbox cannot run the solution at all.
    """
    empty = [i for i, test in enumerate(tests) if not test.output.strip()]
    rows = [DraftTest(t.input, t.output, t.hidden) for t in tests]
    if not empty or compare.mode is CompareMode.CALL:  # call tests write what they expect
        return Filled(rows, 0, {})
    # run every test as a visible one: the grader keeps no output of hidden tests
    result = await grader.grade(
        solution,
        [TestCase(input=tests[i].input, expected="") for i in empty],
        task_comparison(compare.mode, compare.tolerance),
        RunLimits(time_s=limits.time_s, memory_mb=limits.memory_mb),
    )
    if result.verdict is Verdict.SANDBOX_ERROR and not any(t.verdict for t in result.tests):
        raise SandboxError(result.message or "the sandbox could not run the solution")
    errors: dict[int, str] = {}
    filled = 0
    for row, test in zip(empty, result.tests, strict=True):
        if test.verdict in (Verdict.ACCEPTED, Verdict.WRONG_ANSWER) and not test.truncated:
            rows[row].output = test.stdout
            filled += 1
        elif test.truncated:
            errors[row] = f"test {row + 1}: the output is too long to store as a test"
        else:
            errors[row] = _failure(row + 1, test.verdict, test.stderr)
    logger.info("filled %d expected outputs, %d errors", filled, len(errors))
    return Filled(rows, filled, errors)
