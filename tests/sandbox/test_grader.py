"""Grading on the host: what a hidden test's result and the submission's message may carry."""

from __future__ import annotations

import pytest

from sandbox import (
    Comparison,
    Outcome,
    RunResult,
    SandboxPool,
    TestCase,
    TestRun,
    Verdict,
)
from sandbox.grader import grade_run

MARK_IN = "HIDDEN-INPUT-51c2"
MARK_OUT = "HIDDEN-EXPECTED-9d0e"
CASES = [
    TestCase(input="visible\n", expected="visible\n"),
    TestCase(input=f"{MARK_IN}\n", expected=f"{MARK_OUT}\n", hidden=True),
]
#: echoes its input to stdout and stderr, then raises it, except on the visible example
LEAKER = (
    "import sys\n"
    "line = input()\n"
    "print(line)\n"
    "print(line, file=sys.stderr)\n"
    "if line != 'visible':\n"
    "    raise Exception(line)\n"
)


def _run(index: int, outcome: Outcome, text: str, error: str | None = None) -> TestRun:
    """A test run whose program echoed `text` to stdout and stderr."""
    return TestRun(
        index=index,
        outcome=outcome,
        exit_code=0 if outcome is Outcome.OK else 1,
        signal=None,
        time_ms=4.0,
        stdout=f"{text}\n".encode(),
        stderr=f"{text}\n".encode(),
        stdout_truncated=True,
        error=error,
    )


def _traceback(text: str) -> str:
    return f'Traceback (most recent call last):\n  File "solution.py", line 6\nException: {text}'


def _graded(*runs: TestRun) -> RunResult:
    return RunResult(tests=runs, time_ms=10.0)


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        (Outcome.RUNTIME_ERROR, "runtime error on a hidden test"),
        (Outcome.TIME_LIMIT, "time limit exceeded on a hidden test"),
        (Outcome.MEMORY_LIMIT, "memory limit exceeded on a hidden test"),
        (Outcome.OUTPUT_LIMIT, "output limit exceeded on a hidden test"),
    ],
)
def test_a_failing_hidden_test_shows_only_the_kind_of_failure(
    outcome: Outcome, message: str
) -> None:
    result = grade_run(
        _graded(
            _run(0, Outcome.OK, "visible"),
            _run(1, outcome, MARK_IN, _traceback(MARK_IN)),
        ),
        CASES,
        Comparison(),
    )
    assert result.verdict is Verdict(outcome.value)
    assert result.first_failed == 1
    assert result.message == message
    hidden = result.tests[1]
    assert (hidden.stdout, hidden.stderr, hidden.exit_code, hidden.truncated) == (
        "",
        "",
        None,
        False,
    )
    assert MARK_IN not in result.model_dump_json()


def test_a_hidden_test_is_still_compared_with_the_programs_real_output() -> None:
    result = grade_run(
        _graded(_run(0, Outcome.OK, "visible"), _run(1, Outcome.OK, MARK_OUT)), CASES, Comparison()
    )
    assert result.verdict is Verdict.ACCEPTED
    assert result.tests[1].passed
    assert result.tests[1].stdout == ""
    wrong = grade_run(
        _graded(_run(0, Outcome.OK, "visible"), _run(1, Outcome.OK, MARK_IN)), CASES, Comparison()
    )
    assert wrong.verdict is Verdict.WRONG_ANSWER
    assert wrong.message is None
    assert wrong.tests[1].difference is None
    assert MARK_IN not in wrong.model_dump_json()
    assert MARK_OUT not in wrong.model_dump_json()


def test_a_visible_wrong_answer_carries_where_its_output_differs() -> None:
    result = grade_run(_graded(_run(0, Outcome.OK, "visibly")), CASES[:1], Comparison())
    difference = result.tests[0].difference
    assert difference is not None
    assert (difference.position, difference.actual.lines, difference.expected.lines) == (
        1,
        ("visibly",),
        ("visible",),
    )
    passed = grade_run(_graded(_run(0, Outcome.OK, "visible")), CASES[:1], Comparison())
    assert passed.tests[0].difference is None


def test_a_visible_failure_keeps_its_output_and_traceback() -> None:
    result = grade_run(
        _graded(
            _run(0, Outcome.RUNTIME_ERROR, "visible", _traceback("visible")),
            _run(1, Outcome.RUNTIME_ERROR, MARK_IN, _traceback(MARK_IN)),
        ),
        CASES,
        Comparison(),
    )
    assert result.first_failed == 0
    assert result.message == _traceback("visible")
    visible = result.tests[0]
    assert (visible.stdout, visible.stderr, visible.exit_code) == ("visible\n", "visible\n", 1)
    assert MARK_IN not in result.model_dump_json()


def test_a_visible_failure_without_traceback_shows_the_end_of_stderr() -> None:
    result = grade_run(
        _graded(_run(0, Outcome.MEMORY_LIMIT, "visible", "memory limit exceeded")),
        CASES[:1],
        Comparison(),
    )
    assert result.message == "memory limit exceeded\nvisible\n"


@pytest.mark.docker
@pytest.mark.asyncio(loop_scope="module")
async def test_the_sandbox_never_reports_a_hidden_tests_data(pool: SandboxPool) -> None:
    result = await pool.grade(LEAKER, CASES)
    assert result.verdict is Verdict.RUNTIME_ERROR
    assert result.message == "runtime error on a hidden test"
    assert result.tests[0].stdout == "visible\n"
    assert result.tests[0].stderr == "visible\n"
    assert MARK_IN not in result.model_dump_json()
