"""Timing a task's reference against its slow wrong solutions: the ratio on the naive program's
slowest test, the fastest of repeated runs, and the findings about thin or false claims."""

from __future__ import annotations

from typing import Any

from core.content.schema import MAX_TIME_S, TaskFile, _fingerprint
from core.content.timing import REPEATS, time_task
from sandbox import Verdict
from tests.support.content_factories import task_document
from tests.support.timed_grader import TimedGrader

REFERENCE = "line = input()\nprint(line)\nprint(line)\n"
NAIVE = "import time\nline = input()\nprint(line)\nprint(line)\n"


def _task(**changes: Any) -> TaskFile:
    slow = {"code": NAIVE, "why": "too slow", "slow": True}
    wrong = [{"code": "print(input())\n", "why": "prints once"}, slow]
    return TaskFile.model_validate(task_document(wrong_solutions=wrong, **changes))


def _repeated(*per_test: float) -> list[float]:
    """Each test's time, with slower noisy repeats after it that must not count."""
    return [ms + extra for ms in per_test for extra in (0.0, 50.0, 90.0)[:REPEATS]]


async def test_the_ratio_is_taken_on_the_naive_program_s_slowest_test_and_fastest_run() -> None:
    grader = TimedGrader(
        {
            REFERENCE: (Verdict.ACCEPTED, _repeated(40.0, 20.0)),
            NAIVE: (Verdict.TIME_LIMIT, _repeated(60.0, 4000.0)[:-2]),
        }
    )
    timing = await time_task(grader, _task())
    assert grader.cases == [2 * REPEATS, 2 * REPEATS]
    assert all(limits is not None and limits.time_s == MAX_TIME_S for limits in grader.limits)
    (naive,) = timing.slow
    assert naive.label == "too slow"
    assert naive.capped
    assert timing.ratio(naive) == (1, 200.0)
    assert timing.reference.slowest == (0, 40.0)
    assert timing.findings() == []


async def test_a_naive_program_only_a_little_slower_is_a_finding() -> None:
    grader = TimedGrader(
        {
            REFERENCE: (Verdict.ACCEPTED, _repeated(10.0, 700.0)),
            NAIVE: (Verdict.ACCEPTED, _repeated(20.0, 2100.0)),
        }
    )
    timing = await time_task(grader, _task())
    assert timing.ratio(timing.slow[0]) == (1, 3.0)
    assert timing.findings() == [
        "the reference takes 700 ms on test 2, more than a fifth of the 2000 ms limit",
        "'too slow' is only 3.0× slower than the reference on test 2 (at least 5× wanted)",
        "'too slow' needs only 2100 ms on test 2, less than 2× the limit, so its verdict "
        "depends on the load",
    ]


async def test_a_naive_program_just_over_the_limit_is_a_finding_however_slow_it_is() -> None:
    grader = TimedGrader(
        {
            REFERENCE: (Verdict.ACCEPTED, _repeated(10.0, 20.0)),
            NAIVE: (Verdict.ACCEPTED, _repeated(30.0, 3000.0)),
        }
    )
    timing = await time_task(grader, _task())
    assert timing.ratio(timing.slow[0]) == (1, 150.0)
    assert timing.findings() == [
        "'too slow' needs only 3000 ms on test 2, less than 2× the limit, so its verdict "
        "depends on the load"
    ]


async def test_a_naive_program_within_the_limit_makes_the_claim_false() -> None:
    grader = TimedGrader(
        {
            REFERENCE: (Verdict.ACCEPTED, _repeated(10.0, 20.0)),
            NAIVE: (Verdict.ACCEPTED, _repeated(30.0, 900.0)),
        }
    )
    timing = await time_task(grader, _task())
    assert timing.findings() == [
        "'too slow' passes every test, the slowest in 900 ms, within the 2000 ms limit"
    ]


async def test_a_slow_program_that_gives_wrong_answers_is_a_finding() -> None:
    grader = TimedGrader(
        {
            REFERENCE: (Verdict.ACCEPTED, _repeated(10.0, 20.0)),
            NAIVE: (Verdict.WRONG_ANSWER, [30.0]),
        }
    )
    timing = await time_task(grader, _task())
    assert timing.findings() == ["'too slow' fails: test 1: wrong_answer"]


def test_a_task_without_slow_solutions_keeps_its_fingerprint() -> None:
    """Fingerprints taken before wrong solutions could be marked slow stay valid, so adding
    the field does not make every shipped task look changed on the next load."""
    plain = TaskFile.model_validate(task_document())
    document = plain.model_dump(mode="json", exclude={"hints", "equivalent_mutants", "entry"})
    for wrong in document["wrong_solutions"]:
        del wrong["slow"]
    assert plain.content_hash() == _fingerprint(document)
    slow = task_document(wrong_solutions=[{"code": "print(1)\n", "why": "one", "slow": True}])
    assert TaskFile.model_validate(slow).content_hash() != plain.content_hash()
