"""The framing between host and loader, and grading of run results (no engine needed)."""

from __future__ import annotations

import json

import pytest

from sandbox import Comparison, Outcome, RunResult, TestCase, TestRun, Verdict
from sandbox.config import SandboxConfig
from sandbox.grader import grade_run
from sandbox.loader import (
    BANNER_SIZE,
    ERROR_LIMIT,
    READY,
    TRAILER_MAGIC,
    TRAILER_SIZE,
    format_user_traceback,
    frame_response,
)
from sandbox.protocol import (
    ForgedResponse,
    OutputFlood,
    ProtocolError,
    ResponseReader,
    decode_body,
    parse_payload,
    split_banner,
)

KEY = bytearray(b"k" * 32)
NONCE = "ab" * 16


LIMIT = 64 * 1024


def _read(stream: bytes, nonce: str = NONCE, key: bytes = bytes(KEY)) -> dict[str, object]:
    """Feed `stream` to a reader in small chunks and decode the response it finds."""
    reader = ResponseReader(nonce, LIMIT)
    found = False
    for start in range(0, len(stream), 7):
        found = reader.feed(stream[start : start + 7])
    if not found:
        raise ProtocolError("no response found")
    return reader.decode(key)


def _test(stdout: bytes, error: str | None = None) -> dict[str, object]:
    return {"outcome": "ok", "stdout": stdout, "stderr": b"", "error": error, "results": None}


def test_response_survives_junk_before_it() -> None:
    payload = {"tests": [_test(b"\x00\xff" + TRAILER_MAGIC, "Tr\u00e4ceback")], "note": "x"}
    framed = b"junk a program wrote\nCODESTREAK-RESPONSE:" + frame_response(payload, NONCE, KEY)
    assert _read(framed) == payload


def test_forged_response_is_refused() -> None:
    forged = frame_response({"tests": []}, NONCE, bytearray(32))
    with pytest.raises(ForgedResponse, match="signature"):
        _read(forged)


def test_response_for_another_request_is_ignored() -> None:
    with pytest.raises(ProtocolError, match="no response"):
        _read(frame_response({"tests": []}, "cd" * 16, KEY))


def test_trailer_announcing_more_than_was_read_is_forged() -> None:
    framed = frame_response({"tests": [_test(b"x" * 100)]}, NONCE, KEY)
    with pytest.raises(ForgedResponse, match="size"):
        _read(framed[60:])


def test_truncated_response_is_not_found() -> None:
    framed = frame_response({"tests": [_test(b"x" * 100)]}, NONCE, KEY)
    for cut in (1, 10, 200):
        with pytest.raises(ProtocolError):
            _read(framed[:-cut])


def test_reader_keeps_bounded_memory_and_stops_a_flood() -> None:
    reader = ResponseReader(NONCE, LIMIT)
    chunk = b"y" * 4096
    for _ in range(reader.flood_limit // len(chunk)):
        reader.feed(chunk)
        assert len(reader._buffer) <= 2 * (LIMIT + TRAILER_SIZE)
    with pytest.raises(OutputFlood):
        reader.feed(chunk)


def test_trailers_of_other_requests_cost_no_signature_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checks: list[object] = []

    def counting_sign(*args: object) -> str:
        checks.append(args)
        return ""

    monkeypatch.setattr("sandbox.protocol.sign", counting_sign)
    reader = ResponseReader(NONCE, LIMIT)
    junk = frame_response({"tests": []}, "cd" * 16, KEY)
    for _ in range(1000):
        assert not reader.feed(junk)
    assert checks == []


def test_signed_body_of_the_wrong_shape_is_a_protocol_error() -> None:
    body = b"%016x" % 2 + b"{}"
    with pytest.raises(ProtocolError):
        decode_body(body)
    with pytest.raises(ProtocolError, match="longer"):
        decode_body(b"%016x" % 12 + b'{"tests":[]}' + b"extra")


def test_banner_carries_the_key() -> None:
    banner = READY + bytes(KEY) + b"\nrest"
    assert split_banner(banner[:5]) is None
    assert split_banner(banner) == (bytes(KEY), b"rest")
    assert len(banner) - len(b"rest") == BANNER_SIZE
    with pytest.raises(ProtocolError):
        split_banner(b"Traceback (most recent call last)")


def test_malformed_payload_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError):
        parse_payload({"tests": [{"outcome": "ok"}]}, 1.0)


def test_traceback_hides_loader_frames() -> None:
    def fail() -> None:
        raise ValueError("boom")

    try:
        fail()
    except ValueError as error:
        text = format_user_traceback(error)
    assert "ValueError: boom" in text
    assert "loader.py" not in text


def _run(*outcomes: tuple[Outcome, bytes]) -> RunResult:
    tests = tuple(
        TestRun(index=i, outcome=o, exit_code=0, signal=None, time_ms=1.0, stdout=out, stderr=b"")
        for i, (o, out) in enumerate(outcomes)
    )
    return RunResult(tests=tests, time_ms=5.0)


CASES = [TestCase(input="", expected="1\n"), TestCase(input="", expected="2\n", hidden=True)]


def test_grade_accepts_when_every_output_matches() -> None:
    result = grade_run(_run((Outcome.OK, b"1\n"), (Outcome.OK, b"2")), CASES, Comparison())
    assert result.verdict is Verdict.ACCEPTED
    assert [t.passed for t in result.tests] == [True, True]
    assert result.tests[1].hidden


def test_grade_reports_first_failure_and_unrun_tests() -> None:
    result = grade_run(_run((Outcome.TIME_LIMIT, b"")), CASES, Comparison())
    assert result.verdict is Verdict.TIME_LIMIT
    assert result.first_failed == 0
    assert result.tests[1].verdict is None
    assert not result.tests[1].passed


def test_grade_wrong_answer() -> None:
    result = grade_run(_run((Outcome.OK, b"1\n"), (Outcome.OK, b"3\n")), CASES, Comparison())
    assert result.verdict is Verdict.WRONG_ANSWER
    assert result.first_failed == 1


def test_grade_result_serializes_to_json() -> None:
    result = grade_run(_run((Outcome.OK, b"\xff\xfe"), (Outcome.OK, b"2")), CASES, Comparison())
    data = json.loads(result.model_dump_json())
    assert data["verdict"] == "wrong_answer"
    assert data["tests"][0]["stdout"] == "\ufffd\ufffd"


def test_the_largest_honest_response_fits_the_response_limit() -> None:
    """Every test takes all the output the loader's caps allow and the longest error."""
    config = SandboxConfig(
        stdout_limit_bytes=4096, stderr_limit_bytes=2048, total_output_limit_bytes=10_000
    )
    tests, left = [], config.total_output_limit_bytes
    for _ in range(10):
        stdout = b"o" * max(0, min(config.stdout_limit_bytes, left))
        stderr = b"e" * max(0, min(config.stderr_limit_bytes, left))
        left -= len(stdout) + len(stderr)
        tests.append(
            {"outcome": "runtime_error", "exit_code": 1, "signal": None, "time_ms": 1e9,
             "stdout": stdout, "stderr": stderr, "stdout_truncated": True,
             "stderr_truncated": True, "error": "\U0010ffff" * (ERROR_LIMIT // 4)}
        )  # fmt: skip
    framed = frame_response({"tests": tests}, NONCE, KEY)
    assert len(framed) - TRAILER_SIZE <= config.response_limit_bytes(len(tests))
