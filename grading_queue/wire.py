"""What travels through Redis, as JSON only: a grading job, and its result or failure.

`dumps`/`loads` are arq's job and result serialisers on both sides. Nothing is ever pickled: a
compromised grader can hand back only data, which is validated before anyone uses it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from sandbox import (
    Comparison,
    GradeResult,
    InvalidSubmission,
    RunLimits,
    SandboxBusy,
    SandboxError,
    TestCase,
)

M = TypeVar("M", bound=BaseModel)

#: the name the worker registers its job function under and clients enqueue by
GRADE_FUNCTION = "grade"


class WireError(ValueError):
    """A payload read from Redis is not what codestreak writes there."""


class GradingJob(BaseModel):
    """Everything a grader needs to grade one submission (expected outputs are compared by the
    grader's host, never inside a container)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    cases: tuple[TestCase, ...]
    comparison: Comparison = Comparison()
    limits: RunLimits | None = None


class FailureKind(StrEnum):
    """Why a grader could not produce a verdict."""

    INVALID = "invalid"
    BUSY = "busy"
    SANDBOX = "sandbox"


class GradingFailure(BaseModel):
    """A failure the grader reports instead of a result."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: FailureKind
    message: str

    @classmethod
    def of(cls, error: SandboxError | InvalidSubmission) -> GradingFailure:
        """The failure reported for `error`."""
        if isinstance(error, InvalidSubmission):
            return cls(kind=FailureKind.INVALID, message=str(error))
        if isinstance(error, SandboxBusy):
            return cls(kind=FailureKind.BUSY, message=str(error))
        return cls(kind=FailureKind.SANDBOX, message=str(error))

    def error(self) -> SandboxError | InvalidSubmission:
        """The exception the client raises for this failure."""
        if self.kind is FailureKind.INVALID:
            return InvalidSubmission(self.message)
        if self.kind is FailureKind.BUSY:
            return SandboxBusy(self.message)
        return SandboxError(f"the grader could not grade: {self.message}")


class Outcome(BaseModel):
    """A job's return value: a result, or a failure."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    result: GradeResult | None = None
    failure: GradingFailure | None = None


def encode_job(
    code: str,
    cases: Sequence[TestCase],
    comparison: Comparison | None,
    limits: RunLimits | None,
) -> dict[str, Any]:
    """The JSON-ready argument of a grading job."""
    job = GradingJob(
        code=code, cases=tuple(cases), comparison=comparison or Comparison(), limits=limits
    )
    return job.model_dump(mode="json")


def decode_job(payload: object) -> GradingJob:
    """The grading job in `payload`; WireError when it is not one."""
    return _validated(GradingJob, payload, "grading job")


def encode_outcome(outcome: GradeResult | GradingFailure) -> dict[str, Any]:
    """The JSON-ready return value of a grading job."""
    if isinstance(outcome, GradeResult):
        return Outcome(result=outcome).model_dump(mode="json")
    return Outcome(failure=outcome).model_dump(mode="json")


def decode_outcome(payload: object) -> GradeResult:
    """The result in a job's return value; raises the reported failure, or WireError when the
    value is neither."""
    outcome = _validated(Outcome, payload, "grading result")
    if outcome.result is not None and outcome.failure is None:
        return outcome.result
    if outcome.failure is not None and outcome.result is None:
        raise outcome.failure.error()
    raise WireError("a grading result must hold exactly one of a result and a failure")


def _validated(model: type[M], payload: object, what: str) -> M:
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        raise WireError(
            f"malformed {what}: {error.error_count()} problem(s), first: "
            f"{error.errors(include_url=False)[0]['msg']}"
        ) from None


def _plain(value: object) -> object:
    """JSON for what arq itself puts in a payload besides ours: an exception a job raised."""
    if isinstance(value, BaseException):
        return f"{type(value).__name__}: {value}"
    raise TypeError(f"{type(value).__name__} is not sent through the grading queue")


def dumps(data: dict[str, Any]) -> bytes:
    """arq's job and result serialiser: compact JSON."""
    return json.dumps(data, separators=(",", ":"), default=_plain).encode()


def loads(data: bytes) -> dict[str, Any]:
    """arq's job and result deserialiser: JSON objects only; anything else (a pickle) is
    refused with WireError."""
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise WireError(
            "a grading queue payload is not JSON (pickles and other formats are refused)"
        ) from None
    if not isinstance(value, dict):
        raise WireError("a grading queue payload must be a JSON object")
    return value
