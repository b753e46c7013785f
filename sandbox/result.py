"""Typed inputs and results of running and grading a submission."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from sandbox.difference import Difference


class Verdict(StrEnum):
    """The verdict of a submission or of one test."""

    ACCEPTED = "accepted"
    WRONG_ANSWER = "wrong_answer"
    RUNTIME_ERROR = "runtime_error"
    TIME_LIMIT = "time_limit"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"
    SYNTAX_ERROR = "syntax_error"
    SANDBOX_ERROR = "sandbox_error"


class Outcome(StrEnum):
    """How the process of one test ended, before any comparison."""

    OK = "ok"
    RUNTIME_ERROR = "runtime_error"
    TIME_LIMIT = "time_limit"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"

    def as_verdict(self) -> Verdict:
        """The verdict of a failed outcome (OK has none without comparing output)."""
        if self is Outcome.OK:
            raise ValueError("an OK outcome needs a comparison to become a verdict")
        return Verdict(self.value)


class TestCase(BaseModel):
    """One test: the stdin given to the program and the stdout expected from it."""

    __test__ = False  # not a pytest class
    model_config = ConfigDict(frozen=True, extra="forbid")

    input: str
    expected: str
    hidden: bool = False


class TestRun(BaseModel):
    """What happened when the program ran on one input (no comparison)."""

    __test__ = False
    model_config = ConfigDict(frozen=True)

    index: int
    outcome: Outcome
    exit_code: int | None
    signal: int | None
    time_ms: float
    stdout: bytes
    stderr: bytes
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    error: str | None = None
    """Traceback (without sandbox frames) or a short description of the failure."""
    results: bytes | None = None
    """What each call of a call test returned or raised, as the loader wrote it (JSON)."""


class RunResult(BaseModel):
    """Result of executing a program on several inputs.

    `aborted` is set when the run stopped before every test could report: the code did not
    compile (syntax_error), the infrastructure failed (sandbox_error), or the program broke its
    own supervisor (runtime_error, time_limit, memory_limit, output_limit). Tests after a test
    that exceeded its time limit are not run.
    """

    model_config = ConfigDict(frozen=True)

    tests: tuple[TestRun, ...]
    aborted: Verdict | None = None
    message: str | None = None
    time_ms: float


class TestResult(BaseModel):
    """The graded result of one test; `verdict` is None when the test was not run."""

    __test__ = False
    model_config = ConfigDict(frozen=True)

    index: int
    passed: bool
    hidden: bool
    verdict: Verdict | None
    time_ms: float | None
    stdout: str
    stderr: str
    exit_code: int | None
    truncated: bool = False
    difference: Difference | None = None
    """Where a visible test's output first differs from the expected one (wrong answers)."""


class GradeResult(BaseModel):
    """The verdict of a submission with per-test details and the first error's message."""

    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    tests: tuple[TestResult, ...]
    time_ms: float
    message: str | None = None
    first_failed: int | None = None

    def in_case_order(self, order: list[int]) -> GradeResult:
        """This result of a run whose test i was case `order[i]`, indexed by case again."""
        tests = sorted(
            (test.model_copy(update={"index": order[test.index]}) for test in self.tests),
            key=lambda test: test.index,
        )
        first_failed = None if self.first_failed is None else order[self.first_failed]
        return self.model_copy(update={"tests": tuple(tests), "first_failed": first_failed})
