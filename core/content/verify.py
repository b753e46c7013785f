"""Proving a task right in the sandbox: the reference passes, every wrong solution fails."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.content.files import Problem
from core.content.schema import TaskFile
from core.grading import Grader, task_comparison
from sandbox import Comparison, GradeResult, RunLimits, SandboxBusy, TestCase, Verdict

BUSY_RETRY_DELAYS_S = (0.2, 0.5, 1.0, 2.0, 4.0, 8.0)


@dataclass(frozen=True, slots=True)
class TaskVerification:
    """The sandbox's findings about one task."""

    name: str
    task: TaskFile
    reference: GradeResult
    wrong: tuple[GradeResult, ...]
    problems: tuple[Problem, ...]

    @property
    def slowest_ms(self) -> float:
        """The reference solution's slowest test, to compare with the time limit."""
        return max((t.time_ms or 0.0 for t in self.reference.tests), default=0.0)


def cases_of(task: TaskFile) -> list[TestCase]:
    """The task's tests as the sandbox takes them."""
    return [TestCase(input=t.input, expected=t.output, hidden=t.hidden) for t in task.tests]


def comparison_of(task: TaskFile) -> Comparison:
    """How the task compares outputs."""
    return task_comparison(task.compare.mode, task.compare.tolerance)


def limits_of(task: TaskFile) -> RunLimits:
    """The task's per-test limits."""
    return RunLimits(time_s=task.limits.time_s, memory_mb=task.limits.memory_mb)


def describe_failure(result: GradeResult) -> str:
    """A one-line account of why a program did not pass, e.g. 'test 3: wrong_answer'."""
    where = f"test {result.first_failed + 1}: " if result.first_failed is not None else ""
    last_line = result.message.strip().splitlines()[-1] if result.message else ""
    return f"{where}{result.verdict.value}{f' ({last_line})' if last_line else ''}"


async def grade_with_retry(
    grader: Grader, code: str, task: TaskFile, cases: Sequence[TestCase] | None = None
) -> GradeResult:
    """Grade one program against a task's tests (or other `cases` under its comparison and
    limits), waiting while the sandbox is busy.

    Verification queues many programs at once; a busy sandbox only means "later".
    """
    cases = cases_of(task) if cases is None else cases
    for delay in BUSY_RETRY_DELAYS_S:
        try:
            return await grader.grade(code, cases, comparison_of(task), limits_of(task))
        except SandboxBusy:
            await asyncio.sleep(delay)
    return await grader.grade(code, cases, comparison_of(task), limits_of(task))


async def verify_task(grader: Grader, task: TaskFile, name: str) -> TaskVerification:
    """Run the reference and every wrong solution; report each failure as a problem."""
    reference, *wrong = await asyncio.gather(
        grade_with_retry(grader, task.solution, task),
        *(grade_with_retry(grader, w.code, task) for w in task.wrong_solutions),
    )
    problems: list[Problem] = []
    if reference.verdict is Verdict.SANDBOX_ERROR:
        problems.append(Problem(name, "solution", f"could not be checked: {reference.message}"))
    elif reference.verdict is not Verdict.ACCEPTED:
        problems.append(
            Problem(
                name,
                "solution",
                "the reference solution does not pass its own tests: "
                + describe_failure(reference),
            )
        )
    for i, (result, solution) in enumerate(zip(wrong, task.wrong_solutions, strict=True)):
        if result.verdict is Verdict.ACCEPTED:
            problems.append(
                Problem(
                    name,
                    f"wrong_solutions[{i}]",
                    f"passes every test, so the tests do not catch '{solution.why}'",
                )
            )
        elif result.verdict is Verdict.SANDBOX_ERROR:
            problems.append(
                Problem(name, f"wrong_solutions[{i}]", f"could not be checked: {result.message}")
            )
        elif solution.slow and result.verdict is not Verdict.TIME_LIMIT:
            problems.append(
                Problem(
                    name,
                    f"wrong_solutions[{i}]",
                    "is marked slow, so it must be right and only run out of time, but fails "
                    f"at {describe_failure(result)}",
                )
            )
    return TaskVerification(name, task, reference, tuple(wrong), tuple(problems))


async def verify_tasks(
    grader: Grader, tasks: Iterable[tuple[str, TaskFile]], concurrency: int = 4
) -> list[TaskVerification]:
    """Verify many tasks, `concurrency` at a time so the sandbox's queue never overflows."""
    gate = asyncio.Semaphore(concurrency)

    async def one(name: str, task: TaskFile) -> TaskVerification:
        async with gate:
            return await verify_task(grader, task, name)

    return list(await asyncio.gather(*(one(name, task) for name, task in tasks)))
