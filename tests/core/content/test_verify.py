"""Proving a task in the sandbox: what a wrong solution marked slow must do."""

from __future__ import annotations

from core.content.schema import TaskFile
from core.content.verify import verify_task
from sandbox import Verdict
from tests.support.content_factories import task_document
from tests.support.timed_grader import TimedGrader

REFERENCE = "line = input()\nprint(line)\nprint(line)\n"
ONCE = "print(input())\n"
NAIVE = "import time\nline = input()\nprint(line)\nprint(line)\n"


def _task() -> TaskFile:
    wrong = [
        {"code": ONCE, "why": "prints once", "slow": False},
        {"code": NAIVE, "why": "too slow", "slow": True},
    ]
    return TaskFile.model_validate(task_document(wrong_solutions=wrong))


async def test_a_slow_solution_that_runs_out_of_time_is_fine() -> None:
    grader = TimedGrader(
        {
            REFERENCE: (Verdict.ACCEPTED, [5.0, 5.0]),
            ONCE: (Verdict.WRONG_ANSWER, [5.0]),
            NAIVE: (Verdict.TIME_LIMIT, [5.0, 2000.0]),
        }
    )
    assert (await verify_task(grader, _task(), "echo.json")).problems == ()


async def test_a_slow_solution_that_gives_a_wrong_answer_is_a_problem() -> None:
    grader = TimedGrader(
        {
            REFERENCE: (Verdict.ACCEPTED, [5.0, 5.0]),
            ONCE: (Verdict.WRONG_ANSWER, [5.0]),
            NAIVE: (Verdict.WRONG_ANSWER, [5.0, 5.0]),
        }
    )
    (problem,) = (await verify_task(grader, _task(), "echo.json")).problems
    assert str(problem) == (
        "echo.json: wrong_solutions[1]: is marked slow, so it must be right and only run out "
        "of time, but fails at test 2: wrong_answer"
    )
