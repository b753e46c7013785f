"""How much faster a task's reference is than its naive solutions, test by test.

A task whose statement says "the naive method is too slow" marks such programs as wrong
solutions with `slow: true`. Their verdict under the task's limit depends on the machine's load
unless the intended solution is clearly faster, so this times both on every test, under the
highest time limit a task may have, and compares them on the test where the naive one is slowest:
the reference should be at least 5× faster there, and the naive one should need at least twice
the task's limit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.content.schema import MAX_TIME_S, Limits, TaskFile
from core.content.verify import cases_of, describe_failure, grade_with_retry
from core.grading import Grader
from sandbox import GradeResult, Verdict

#: the intended solution should beat a naive one at least this many times on its hardest test
MIN_SPEEDUP = 5.0
#: a naive program should need at least this many times the task's limit, so that its verdict
#: does not depend on how busy the machine is
MIN_OVER_LIMIT = 2.0
#: each program runs this many times on every test; the fastest run counts (less noise)
REPEATS = 3


@dataclass(frozen=True, slots=True)
class ProgramTime:
    """One program's fastest run on each test (None: not run), or why it could not be timed."""

    label: str
    times_ms: tuple[float | None, ...]
    failure: str | None = None
    #: the run hit the measuring limit, so its slowest time is a lower bound
    capped: bool = False

    @property
    def slowest(self) -> tuple[int, float] | None:
        """The index and time of the test this program took longest on."""
        timed = [(ms, i) for i, ms in enumerate(self.times_ms) if ms is not None]
        if not timed:
            return None
        ms, index = max(timed)
        return index, ms


@dataclass(frozen=True, slots=True)
class TaskTiming:
    """A task's reference and slow wrong solutions timed on its tests."""

    task: TaskFile
    reference: ProgramTime
    slow: tuple[ProgramTime, ...]

    @property
    def limit_ms(self) -> float:
        """The task's own per-test time limit."""
        return self.task.limits.time_s * 1000

    def ratio(self, naive: ProgramTime) -> tuple[int, float] | None:
        """The naive program's slowest test and how many times slower than the reference it
        is there; None when it was not timed."""
        slowest = naive.slowest
        if slowest is None:
            return None
        index, ms = slowest
        reference_ms = self.reference.times_ms[index]
        if not reference_ms:
            return None
        return index, ms / reference_ms

    def findings(self) -> list[str]:
        """What is wrong with the task's performance claims, one sentence each."""
        if self.reference.failure is not None:
            return [f"the reference {self.reference.failure}"]
        found: list[str] = []
        slowest = self.reference.slowest
        if slowest is not None and slowest[1] > self.limit_ms / MIN_SPEEDUP:
            found.append(
                f"the reference takes {slowest[1]:.0f} ms on test {slowest[0] + 1}, more than "
                f"a fifth of the {self.limit_ms:.0f} ms limit"
            )
        for naive in self.slow:
            found.extend(self._naive_findings(naive))
        return found

    def _naive_findings(self, naive: ProgramTime) -> list[str]:
        if naive.failure is not None:
            return [f"'{naive.label}' {naive.failure}"]
        slowest = naive.slowest
        if slowest is not None and slowest[1] <= self.limit_ms:
            return [
                f"'{naive.label}' passes every test, the slowest in {slowest[1]:.0f} ms, "
                f"within the {self.limit_ms:.0f} ms limit"
            ]
        found: list[str] = []
        ratio = self.ratio(naive)
        if ratio is not None and ratio[1] < MIN_SPEEDUP and not naive.capped:
            found.append(
                f"'{naive.label}' is only {ratio[1]:.1f}× slower than the reference on test "
                f"{ratio[0] + 1} (at least {MIN_SPEEDUP:.0f}× wanted)"
            )
        if slowest is not None and slowest[1] < self.limit_ms * MIN_OVER_LIMIT and not naive.capped:
            found.append(
                f"'{naive.label}' needs only {slowest[1]:.0f} ms on test {slowest[0] + 1}, less "
                f"than {MIN_OVER_LIMIT:.0f}× the limit, so its verdict depends on the load"
            )
        return found


def _program_time(label: str, result: GradeResult, tests: int) -> ProgramTime:
    """Per test, the fastest of its `REPEATS` runs (the cases are each test repeated)."""
    runs = [t.time_ms for t in result.tests]
    times = tuple(
        min((ms for ms in runs[i * REPEATS : (i + 1) * REPEATS] if ms is not None), default=None)
        for i in range(tests)
    )
    if result.verdict is Verdict.TIME_LIMIT:
        return ProgramTime(label, times, capped=True)
    if result.verdict is not Verdict.ACCEPTED:
        return ProgramTime(label, times, f"fails: {describe_failure(result)}")
    return ProgramTime(label, times)


async def time_task(grader: Grader, task: TaskFile) -> TaskTiming:
    """Time the reference and every slow wrong solution on each of the task's tests."""
    measuring = task.model_copy(update={"limits": Limits(time_s=MAX_TIME_S)})
    cases = [case for case in cases_of(task) for _ in range(REPEATS)]
    slow = [w for w in task.wrong_solutions if w.slow]
    reference, *naive = await asyncio.gather(
        grade_with_retry(grader, task.solution, measuring, cases),
        *(grade_with_retry(grader, w.code, measuring, cases) for w in slow),
    )
    tests = len(task.tests)
    return TaskTiming(
        task=task,
        reference=_program_time("reference", reference, tests),
        slow=tuple(_program_time(w.why, r, tests) for w, r in zip(slow, naive, strict=True)),
    )


async def time_tasks(
    grader: Grader, tasks: Iterable[TaskFile], progress: Callable[[str], None] | None = None
) -> list[TaskTiming]:
    """Time tasks one after another, so that their runs do not slow each other down."""
    timings = []
    for task in tasks:
        if progress is not None:
            progress(f"timing {task.slug}…")
        timings.append(await time_task(grader, task))
    return timings
