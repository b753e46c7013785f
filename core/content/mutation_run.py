"""Mutation testing in the sandbox: how many of a reference's mutants a task's tests kill.

A mutant is killed when any test fails (a time limit counts); one that passes every test
survives, and is reported with the smallest input found on which it and the reference differ.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from core.content.mutate import Mutant, mutants
from core.content.schema import TaskFile
from core.content.shrink import candidates, size
from core.content.verify import cases_of, describe_failure, grade_with_retry
from core.grading import Grader
from sandbox import CompareMode, GradeResult, TestCase, TestResult, Verdict

#: the least share of (non-equivalent) mutants a task's tests must kill
KILL_RATE_FLOOR = 0.95
#: candidate inputs run in one sandbox run while searching for an exposing input
CANDIDATES_PER_RUN = 100
#: runs of candidates tried at most before giving up on a mutant
FIRST_ROUND_RUNS = 3
#: times the best exposing input found is shrunk again
SHRINK_ROUNDS = 4
#: tests with inputs up to this size run first, so a mutant they kill skips the large ones
SMALL_INPUT_CHARS = 2000
#: reference outputs longer than this are not used as expected outputs (the grader cuts them)
MAX_OUTPUT_CHARS = 32_000

#: verdicts that leave a mutant alive: it passed, or the sandbox could not run it
_NOT_KILLED = frozenset({Verdict.ACCEPTED, Verdict.SANDBOX_ERROR})

Progress = Callable[[str], None]
#: grades a program against the task's tests, or against other cases, in the sandbox
GradeCall = Callable[[str, Sequence[TestCase] | None], Awaitable[GradeResult]]


@dataclass(frozen=True, slots=True)
class Survivor:
    """A mutant every test lets pass, with the smallest input found that tells it apart."""

    mutant: Mutant
    exposing_input: str | None
    candidates_tried: int


@dataclass(frozen=True, slots=True)
class TaskMutation:
    """The fate of one task's mutants."""

    slug: str
    killed: tuple[Mutant, ...] = ()
    survivors: tuple[Survivor, ...] = ()
    equivalent: tuple[Mutant, ...] = ()
    #: mutants the sandbox could not run (sandbox errors): neither killed nor survived
    unchecked: tuple[Mutant, ...] = ()
    #: ids marked equivalent in the task file that no mutant has (any more)
    unknown_equivalents: tuple[str, ...] = ()
    #: why the task could not be mutation-tested at all
    problem: str | None = None

    @property
    def counted(self) -> int:
        """Mutants that count for the kill rate: killed or surviving."""
        return len(self.killed) + len(self.survivors)

    @property
    def rate(self) -> float:
        """The share of counted mutants killed (1.0 when there are none)."""
        return len(self.killed) / self.counted if self.counted else 1.0

    @property
    def meets_floor(self) -> bool:
        """True when the task was fully checked and its kill rate reaches the floor."""
        return self.problem is None and not self.unchecked and self.rate >= KILL_RATE_FLOOR


async def mutate_tasks(
    grader: Grader,
    tasks: Sequence[TaskFile],
    concurrency: int = 2,
    progress: Progress | None = None,
) -> list[TaskMutation]:
    """Mutation-test every task, `concurrency` sandbox runs at a time; report each finished task
    through `progress`."""
    gate = asyncio.Semaphore(concurrency)
    finished = 0

    async def one(task: TaskFile) -> TaskMutation:
        nonlocal finished
        result = await mutate_task(grader, task, gate)
        finished += 1
        if progress is not None:
            progress(f"[{finished}/{len(tasks)}] {_summary(result)}")
        return result

    return list(await asyncio.gather(*(one(task) for task in tasks)))


def _summary(result: TaskMutation) -> str:
    if result.problem is not None:
        return f"{result.slug}: {result.problem}"
    return (
        f"{result.slug}: {len(result.killed)}/{result.counted} mutants killed, "
        f"{len(result.survivors)} survived"
    )


async def mutate_task(grader: Grader, task: TaskFile, gate: asyncio.Semaphore) -> TaskMutation:
    """Run the reference and each of its mutants against the task's tests; search an exposing
    input for every survivor."""
    try:
        generated = mutants(task.solution)
    except SyntaxError as exc:
        return TaskMutation(task.slug, problem=f"the reference does not parse: {exc.msg}")
    marked = {mark.id for mark in task.equivalent_mutants}
    equivalent = tuple(m for m in generated if m.id in marked)
    unknown = tuple(sorted(marked - {m.id for m in generated}))
    to_run = [m for m in generated if m.id not in marked]

    async def graded(code: str, cases: Sequence[TestCase] | None = None) -> GradeResult:
        async with gate:
            return await grade_with_retry(grader, code, task, cases)

    small = _small_cases(task)

    async def mutant_graded(code: str) -> GradeResult:
        """Graded on the small tests first: most mutants fail one, and the large tests (often
        performance tests) then need not run."""
        if small:
            first = await graded(code, small)
            if first.verdict not in _NOT_KILLED:
                return first
        return await graded(code)

    reference, *results = await asyncio.gather(
        graded(task.solution), *(mutant_graded(m.code) for m in to_run)
    )
    if reference.verdict is not Verdict.ACCEPTED:
        return TaskMutation(
            task.slug,
            equivalent=equivalent,
            unknown_equivalents=unknown,
            problem="the reference does not pass its own tests: " + describe_failure(reference),
        )
    fates = list(zip(to_run, results, strict=True))
    surviving = [m for m, r in fates if r.verdict is Verdict.ACCEPTED]
    search = _ExposingSearch(task, graded)
    exposed = await asyncio.gather(*(search.smallest(m) for m in surviving))
    return TaskMutation(
        task.slug,
        killed=tuple(m for m, r in fates if r.verdict not in _NOT_KILLED),
        survivors=tuple(
            Survivor(m, found, tried) for m, (found, tried) in zip(surviving, exposed, strict=True)
        ),
        equivalent=equivalent,
        unchecked=tuple(m for m, r in fates if r.verdict is Verdict.SANDBOX_ERROR),
        unknown_equivalents=unknown,
    )


def _small_cases(task: TaskFile) -> list[TestCase]:
    """The task's tests with small inputs, when it also has large ones (else none)."""
    cases = cases_of(task)
    small = [c for c in cases if len(c.input) <= SMALL_INPUT_CHARS]
    return small if 0 < len(small) < len(cases) else []


def _expected_output(test: TestResult) -> str | None:
    """The reference's output on a candidate input, when usable as an expected output."""
    if test.verdict not in (Verdict.ACCEPTED, Verdict.WRONG_ANSWER):
        return None
    if test.truncated or len(test.stdout) >= MAX_OUTPUT_CHARS:
        return None
    return test.stdout


class _ExposingSearch:
    """Finds small inputs on which a mutant and the reference differ.

    Candidates come from shrinking the task's test inputs; the reference runs on them first
    (its output is the expected one, and inputs it fails on are dropped), then the mutant.
    The best input found is shrunk again for a few rounds.
    """

    def __init__(self, task: TaskFile, graded: GradeCall) -> None:
        self._task = task
        self._graded = graded
        self._expected: dict[str, str | None] = {}
        self._lock = asyncio.Lock()

    async def smallest(self, mutant: Mutant) -> tuple[str | None, int]:
        """The smallest exposing input found and how many candidates were tried.

        The variants of the task's tests are tried in runs of CANDIDATES_PER_RUN, smallest
        first, until one exposes the mutant; that one is then shrunk for SHRINK_ROUNDS more.
        Call tasks are not searched: their tests are scripts of calls, not inputs to shrink.
        """
        if self._task.compare.mode is CompareMode.CALL:
            return None, 0
        variants = candidates(
            (t.input for t in self._task.tests), CANDIDATES_PER_RUN * FIRST_ROUND_RUNS
        )
        tried, best = 0, None
        for start in range(0, len(variants), CANDIDATES_PER_RUN):
            valid = await self._valid(variants[start : start + CANDIDATES_PER_RUN])
            tried += len(valid)
            best = await self._first_difference(mutant, valid)
            if best is not None:
                break
        if best is None:
            return None, tried
        for _ in range(SHRINK_ROUNDS):
            smaller = [c for c in candidates([best], CANDIDATES_PER_RUN) if size(c) < size(best)]
            valid = await self._valid(smaller)
            tried += len(valid)
            found = await self._first_difference(mutant, valid)
            if found is None:
                break
            best = found
        return best, tried

    async def _valid(self, inputs: list[str]) -> list[str]:
        """The inputs the reference runs cleanly on, smallest first.

        A run stops at a test over its time limit; the tests after it run again without it.
        """
        async with self._lock:
            unknown = [i for i in inputs if i not in self._expected]
            while unknown:
                cases = [TestCase(input=i, expected="") for i in unknown]
                result = await self._run(self._task.solution, cases)
                ran = [(i, t) for i, t in zip(unknown, result.tests, strict=True) if t.verdict]
                if not ran:  # the run itself failed: none of these can be judged
                    self._expected.update(dict.fromkeys(unknown))
                for text, test in ran:
                    self._expected[text] = _expected_output(test)
                unknown = [i for i in unknown if i not in self._expected]
        return sorted((i for i in inputs if self._expected[i] is not None), key=size)

    async def _first_difference(self, mutant: Mutant, inputs: list[str]) -> str | None:
        """The smallest of `inputs` on which the mutant does not produce the reference's
        output (or fails); None when there is none."""
        if not inputs:
            return None
        cases = [TestCase(input=i, expected=self._expected[i] or "") for i in inputs]
        result = await self._run(mutant.code, cases)
        failing = [
            inputs[t.index] for t in result.tests if t.verdict not in (None, Verdict.ACCEPTED)
        ]
        return min(failing, key=size, default=None)

    async def _run(self, code: str, cases: list[TestCase]) -> GradeResult:
        return await self._graded(code, cases)
