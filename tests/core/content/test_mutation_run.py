"""Mutation testing in the sandbox: kills, survivors with their smallest exposing input,
equivalent mutants, and the fates a grader's verdicts give."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
import pytest_asyncio

from core.content.files import read_content
from core.content.mutate import Operator, mutants
from core.content.mutation_run import KILL_RATE_FLOOR, mutate_task
from core.content.schema import TaskFile
from sandbox import (
    Comparison,
    GradeResult,
    RunLimits,
    SandboxPool,
    TestCase,
    TestResult,
    Verdict,
)
from tests.support.content_factories import task_document, weak_task_document
from tests.support.sandbox import make_config

DATA = Path(__file__).parents[3] / "data"
WEAK = TaskFile.model_validate(weak_task_document())


def _gate() -> asyncio.Semaphore:
    return asyncio.Semaphore(2)


@pytest_asyncio.fixture
async def pool(sandbox_image: str) -> AsyncIterator[SandboxPool]:
    """A small sandbox pool of its own."""
    async with SandboxPool(make_config(sandbox_image, pool_size=2, max_concurrent=2)) as sandbox:
        yield sandbox


@pytest.mark.docker
async def test_a_shipped_task_s_tests_kill_every_mutant(pool: SandboxPool) -> None:
    (parsed,) = [p for p in read_content(DATA).tasks if p.item.slug == "conveyor-rotation"]
    result = await mutate_task(pool, parsed.item, _gate())
    assert result.problem is None
    assert result.counted == len(mutants(parsed.item.solution)) >= 4
    assert result.rate == 1.0
    assert result.meets_floor


@pytest.mark.docker
async def test_weak_tests_let_mutants_survive_and_the_smallest_exposing_input_is_found(
    pool: SandboxPool,
) -> None:
    result = await mutate_task(pool, WEAK, _gate())
    survived = {s.mutant.description.split(": ", 1)[1]: s for s in result.survivors}
    assert set(survived) == {"`v > 0` → `v >= 0`", "`v > 0` → `v > -1`"}
    assert {s.exposing_input for s in survived.values()} == {"0\n"}
    assert result.rate < KILL_RATE_FLOOR
    assert not result.meets_floor
    assert len(result.killed) == result.counted - 2


@pytest.mark.docker
async def test_a_mutant_marked_equivalent_does_not_count(pool: SandboxPool) -> None:
    (loose,) = [m for m in mutants(WEAK.solution) if m.description.endswith("`v > -1`")]
    marked = TaskFile.model_validate(
        {
            **WEAK.model_dump(),
            "equivalent_mutants": [
                {"id": loose.id, "why": "for the test"},
                {"id": "comparison-00000000", "why": "gone"},
            ],
        }
    )
    result = await mutate_task(pool, marked, _gate())
    assert [m.id for m in result.equivalent] == [loose.id]
    assert loose.id not in {s.mutant.id for s in result.survivors}
    assert result.counted == len(mutants(WEAK.solution)) - 1
    assert result.unknown_equivalents == ("comparison-00000000",)


class _ScriptedGrader:
    """Gives the reference `reference_verdict` and each mutant the verdict of its operator
    (wrong answer when none is named)."""

    def __init__(
        self,
        reference: str,
        verdicts: dict[Operator, Verdict],
        reference_verdict: Verdict = Verdict.ACCEPTED,
    ) -> None:
        self.by_code = {
            m.code: verdicts.get(m.operator, Verdict.WRONG_ANSWER) for m in mutants(reference)
        }
        self.by_code[reference] = reference_verdict
        #: the number of cases of each grading of each program, in order
        self.graded: dict[str, list[int]] = defaultdict(list)

    async def grade(
        self,
        code: str,
        cases: Sequence[TestCase],
        comparison: Comparison | None = None,
        limits: RunLimits | None = None,
        *,
        job_id: str | None = None,
    ) -> GradeResult:
        verdict = self.by_code[code]
        self.graded[code].append(len(cases))
        tests = tuple(
            TestResult(
                index=i,
                passed=verdict is Verdict.ACCEPTED,
                hidden=False,
                verdict=None if verdict is Verdict.SANDBOX_ERROR else verdict,
                time_ms=1.0,
                stdout="",
                stderr="",
                exit_code=0,
            )
            for i in range(len(cases))
        )
        failed = None if verdict is Verdict.ACCEPTED else 0
        return GradeResult(verdict=verdict, tests=tests, time_ms=1.0, first_failed=failed)


async def test_time_limits_kill_and_sandbox_errors_leave_a_mutant_unchecked() -> None:
    reference = "a = int(input())\nprint(a < 3, min(a, 2))\n"
    grader = _ScriptedGrader(
        reference,
        {
            Operator.COMPARISON: Verdict.TIME_LIMIT,
            Operator.CONSTANT: Verdict.WRONG_ANSWER,
            Operator.MIN_MAX: Verdict.SANDBOX_ERROR,
        },
    )
    task = TaskFile.model_validate(task_document("scripted", solution=reference))
    result = await mutate_task(grader, task, _gate())
    assert {m.operator for m in result.killed} == {Operator.COMPARISON, Operator.CONSTANT}
    assert [m.operator for m in result.unchecked] == [Operator.MIN_MAX]
    assert result.survivors == ()
    assert result.rate == 1.0
    assert not result.meets_floor


async def test_a_reference_that_fails_its_tests_is_a_problem() -> None:
    reference = "print(1 < 2)\n"
    grader = _ScriptedGrader(reference, {}, reference_verdict=Verdict.WRONG_ANSWER)
    task = TaskFile.model_validate(task_document("broken", solution=reference))
    result = await mutate_task(grader, task, _gate())
    assert result.problem is not None
    assert result.problem.startswith("the reference does not pass its own tests: test 1:")
    assert not result.meets_floor


async def test_a_mutant_the_small_tests_kill_skips_the_large_ones() -> None:
    reference = "print(input() < 'b', min(1, 2))\n"
    grader = _ScriptedGrader(reference, {Operator.MIN_MAX: Verdict.ACCEPTED})
    tests = [
        {"input": "a\n", "output": "True 1\n", "hidden": False},
        {"input": "c\n", "output": "False 1\n", "hidden": True},
        {"input": "a" * 5000 + "\n", "output": "True 1\n", "hidden": True},
    ]
    task = TaskFile.model_validate(task_document("sizes", solution=reference, tests=tests))
    result = await mutate_task(grader, task, asyncio.Semaphore(1))
    (survivor,) = result.survivors
    assert survivor.mutant.operator is Operator.MIN_MAX
    assert grader.graded[reference][0] == 3
    assert all(grader.graded[m.code] == [2] for m in result.killed)
    assert grader.graded[survivor.mutant.code][:2] == [2, 3]


@pytest.mark.docker
async def test_the_search_goes_on_past_a_candidate_the_reference_hangs_on(
    pool: SandboxPool,
) -> None:
    hangs_on_zero = TaskFile.model_validate(
        task_document(
            "hangs-on-zero",
            solution="n = int(input())\nwhile n == 0:\n    pass\nprint(n > 1)\n",
            limits={"time_s": 0.5},
            tests=[
                {"input": "5\n", "output": "True\n", "hidden": False},
                {"input": "7\n", "output": "True\n", "hidden": True},
                {"input": "9\n", "output": "True\n", "hidden": True},
            ],
        )
    )
    result = await mutate_task(pool, hangs_on_zero, _gate())
    exposing = {s.mutant.description.split(": ", 1)[1]: s.exposing_input for s in result.survivors}
    assert exposing["`n > 1` → `n >= 1`"] == "1\n"
    assert exposing["`n > 1` → `n > 2`"] == "2\n"
