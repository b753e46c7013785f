"""Grading on the host: compare each test's output with the expected one and pick a verdict."""

from __future__ import annotations

from collections.abc import Sequence

from sandbox.calls import CallsUnreadable, call_difference
from sandbox.compare import CompareMode, Comparison
from sandbox.result import GradeResult, Outcome, RunResult, TestCase, TestResult, TestRun, Verdict

TEXT_LIMIT = 64 * 1024
MESSAGE_STDERR_TAIL = 2000
#: what a failure is called when it happened on a hidden test, whose details stay secret
HIDDEN_FAILURES = {
    Verdict.RUNTIME_ERROR: "runtime error",
    Verdict.TIME_LIMIT: "time limit exceeded",
    Verdict.MEMORY_LIMIT: "memory limit exceeded",
    Verdict.OUTPUT_LIMIT: "output limit exceeded",
}


def _text(data: bytes, limit: int = TEXT_LIMIT) -> str:
    """Decode program output for people; invalid UTF-8 becomes replacement characters."""
    return data[:limit].decode("utf-8", "replace")


def _grade_test(run: TestRun, case: TestCase, comparison: Comparison) -> TestResult:
    """Compare one test's output with its expected output, locating the first difference.

    A hidden test's result carries none of the program's output, errors, exit status or
    difference: they may echo the test's input or reveal its expected output.
    """
    difference = None
    if run.outcome is Outcome.OK:
        if comparison.mode is CompareMode.CALL:
            difference = call_difference(
                case.input, case.expected, run.results, comparison.tolerance
            )
        else:
            difference = comparison.difference(run.stdout.decode("utf-8", "replace"), case.expected)
        passed = difference is None
        verdict = Verdict.ACCEPTED if passed else Verdict.WRONG_ANSWER
    else:
        passed, verdict = False, run.outcome.as_verdict()
    if case.hidden:
        return TestResult(
            index=run.index,
            passed=passed,
            hidden=True,
            verdict=verdict,
            time_ms=run.time_ms,
            stdout="",
            stderr="",
            exit_code=None,
        )
    return TestResult(
        index=run.index,
        passed=passed,
        hidden=case.hidden,
        verdict=verdict,
        time_ms=run.time_ms,
        stdout=_text(run.stdout),
        stderr=_text(run.stderr),
        exit_code=run.exit_code,
        truncated=run.stdout_truncated or run.stderr_truncated,
        difference=difference,
    )


def _with_readable_calls(run: TestRun, case: TestCase) -> TestRun:
    """A call test's run, made a runtime error when the program did not report its calls."""
    if run.outcome is not Outcome.OK:
        return run
    try:
        call_difference(case.input, case.expected, run.results, None)
    except CallsUnreadable as error:
        return run.model_copy(update={"outcome": Outcome.RUNTIME_ERROR, "error": str(error)})
    return run


def _not_run(index: int, case: TestCase) -> TestResult:
    """A test that never ran (an earlier one exceeded its time or the run was aborted)."""
    return TestResult(
        index=index,
        passed=False,
        hidden=case.hidden,
        verdict=None,
        time_ms=None,
        stdout="",
        stderr="",
        exit_code=None,
    )


def _message(run: TestRun, verdict: Verdict, hidden: bool) -> str | None:
    """The learner-facing message of a failed test: traceback, or status and stderr's end.

    For a hidden test only the kind of failure: its traceback or stderr may show its input.
    """
    if verdict is Verdict.WRONG_ANSWER:
        return None
    if hidden:
        return f"{HIDDEN_FAILURES.get(verdict, verdict.value.replace('_', ' '))} on a hidden test"
    message = run.error or ""
    if run.stderr and "Traceback" not in message:
        tail = _text(run.stderr[-MESSAGE_STDERR_TAIL:])
        message = f"{message}\n{tail}" if message else tail
    return message or None


def grade_run(run: RunResult, cases: Sequence[TestCase], comparison: Comparison) -> GradeResult:
    """Grade the result of running a program on `cases` (same order) into a verdict."""
    if len(run.tests) > len(cases):
        raise ValueError("the run has more test results than there are test cases")
    if comparison.mode is CompareMode.CALL:
        run = run.model_copy(
            update={
                "tests": tuple(
                    _with_readable_calls(test, case)
                    for test, case in zip(run.tests, cases, strict=False)
                )
            }
        )
    tests = [
        _grade_test(test_run, case, comparison)
        for test_run, case in zip(run.tests, cases, strict=False)
    ]
    tests += [_not_run(index, cases[index]) for index in range(len(run.tests), len(cases))]
    for result, test_run in zip(tests, run.tests, strict=False):
        if result.verdict is not Verdict.ACCEPTED:
            assert result.verdict is not None
            return GradeResult(
                verdict=result.verdict,
                tests=tuple(tests),
                time_ms=run.time_ms,
                message=_message(test_run, result.verdict, result.hidden),
                first_failed=result.index,
            )
    if run.aborted is not None or len(run.tests) < len(cases):
        return GradeResult(
            verdict=run.aborted or Verdict.SANDBOX_ERROR,
            tests=tuple(tests),
            time_ms=run.time_ms,
            message=run.message or "the sandbox reported fewer results than there are tests",
            first_failed=len(run.tests) if len(run.tests) < len(cases) else None,
        )
    return GradeResult(verdict=Verdict.ACCEPTED, tests=tuple(tests), time_ms=run.time_ms)
