"""What travels through Redis: JSON only, validated on arrival."""

from __future__ import annotations

import pickle

import pytest

from grading_queue.wire import (
    GradingFailure,
    WireError,
    decode_job,
    decode_outcome,
    dumps,
    encode_job,
    encode_outcome,
    loads,
)
from sandbox import (
    CompareMode,
    Comparison,
    GradeResult,
    InvalidSubmission,
    RunLimits,
    SandboxBusy,
    SandboxError,
    TestCase,
    TestResult,
    Verdict,
)

CASES = [
    TestCase(input="1 2\n", expected="3\n"),
    TestCase(input="x\n", expected="y\n", hidden=True),
]
RESULT = GradeResult(
    verdict=Verdict.WRONG_ANSWER,
    tests=(
        TestResult(
            index=0,
            passed=True,
            hidden=False,
            verdict=Verdict.ACCEPTED,
            time_ms=3.5,
            stdout="3\n",
            stderr="",
            exit_code=0,
        ),
        TestResult(
            index=1,
            passed=False,
            hidden=True,
            verdict=Verdict.WRONG_ANSWER,
            time_ms=2.0,
            stdout="",
            stderr="",
            exit_code=None,
        ),
    ),
    time_ms=12.25,
    message="wrong answer on a hidden test",
    first_failed=1,
)


def test_a_job_survives_the_trip() -> None:
    comparison = Comparison(mode=CompareMode.FLOAT, tolerance=1e-3)
    limits = RunLimits(time_s=1.5, memory_mb=48)
    sent = dumps({"a": [encode_job("print(3)", CASES, comparison, limits)]})
    job = decode_job(loads(sent)["a"][0])
    assert (job.code, job.cases, job.comparison, job.limits) == (
        "print(3)",
        tuple(CASES),
        comparison,
        limits,
    )


def test_a_result_survives_the_trip() -> None:
    assert decode_outcome(loads(dumps({"r": encode_outcome(RESULT)}))["r"]) == RESULT


@pytest.mark.parametrize(
    ("error", "raised"),
    [
        (InvalidSubmission("too long"), InvalidSubmission),
        (SandboxBusy("full"), SandboxBusy),
        (SandboxError("engine gone"), SandboxError),
    ],
)
def test_a_failure_comes_back_as_the_same_kind_of_error(
    error: Exception, raised: type[Exception]
) -> None:
    assert isinstance(error, SandboxError | InvalidSubmission)
    payload = loads(dumps({"r": encode_outcome(GradingFailure.of(error))}))["r"]
    with pytest.raises(raised, match=str(error)):
        decode_outcome(payload)


def test_a_pickle_is_refused() -> None:
    with pytest.raises(WireError, match="not JSON"):
        loads(pickle.dumps({"f": "grade", "a": (), "k": {}}))


@pytest.mark.parametrize("payload", [b"[1, 2]", b'"text"', b"null"])
def test_only_objects_are_payloads(payload: bytes) -> None:
    with pytest.raises(WireError, match="JSON object"):
        loads(payload)


@pytest.mark.parametrize(
    "job",
    [
        {"code": "print(1)"},
        {"code": 1, "cases": []},
        {"code": "x", "cases": [{"input": "", "expected": "", "run": "rm -rf /"}]},
        {"code": "x", "cases": [], "limits": {"time_s": 1e9}},
        "print(1)",
    ],
)
def test_a_malformed_job_is_refused_clearly(job: object) -> None:
    with pytest.raises(WireError, match="malformed grading job"):
        decode_job(job)


@pytest.mark.parametrize(
    "outcome",
    [
        {},
        {"result": None, "failure": None},
        {"result": RESULT.model_dump(mode="json"), "failure": {"kind": "busy", "message": "x"}},
        {"failure": {"kind": "shell", "message": "x"}},
        {"result": {"verdict": "accepted"}},
    ],
)
def test_a_malformed_result_is_refused(outcome: object) -> None:
    with pytest.raises(WireError):
        decode_outcome(outcome)


def test_an_exception_arq_stores_becomes_text() -> None:
    assert loads(dumps({"r": ValueError("boom")})) == {"r": "ValueError: boom"}
    with pytest.raises(TypeError, match="not sent"):
        dumps({"r": object()})
