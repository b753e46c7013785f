"""Host side of the loader protocol: build a request, find and check the response."""

from __future__ import annotations

import hmac
import json
from typing import Any

from sandbox.config import MIB, RunLimits, SandboxConfig
from sandbox.loader import BANNER_SIZE, READY, TRAILER_MAGIC, TRAILER_SIZE, sign
from sandbox.result import Outcome, RunResult, TestRun, Verdict


class ProtocolError(Exception):
    """The bytes from the container are not a complete, intact response."""


def encode_request(
    nonce: str, code: str, inputs: list[str], limits: RunLimits, config: SandboxConfig
) -> bytes:
    """Frame one request for the loader: 8-byte big-endian length, then JSON."""
    body = json.dumps(
        {
            "nonce": nonce,
            "code": code,
            "inputs": inputs,
            "time_s": limits.time_s,
            "memory_bytes": limits.memory_mb * MIB,
            "stdout_limit": config.stdout_limit_bytes,
            "stderr_limit": config.stderr_limit_bytes,
            "total_limit": config.total_output_limit_bytes,
        }
    ).encode("utf-8")
    return len(body).to_bytes(8, "big") + body


def split_banner(buffer: bytes) -> tuple[bytes, bytes] | None:
    """Split the loader's banner into its key and what follows; None while incomplete.

    Raises ProtocolError when the stream starts with something else.
    """
    if not buffer[: len(READY)] == READY[: len(buffer)]:
        raise ProtocolError(f"unexpected output instead of the loader's banner: {buffer[:80]!r}")
    if len(buffer) < BANNER_SIZE:
        return None
    if buffer[BANNER_SIZE - 1 : BANNER_SIZE] != b"\n":
        raise ProtocolError("the loader's banner is malformed")
    return buffer[len(READY) : BANNER_SIZE - 1], buffer[BANNER_SIZE:]


def looks_complete(tail: bytes | bytearray) -> bool:
    """Cheap test whether the buffer ends like a response (a trailer at its end)."""
    return (
        len(tail) >= TRAILER_SIZE
        and tail.endswith(b"\n")
        and tail[-TRAILER_SIZE : -TRAILER_SIZE + len(TRAILER_MAGIC)] == TRAILER_MAGIC
    )


def decode_response(tail: bytes, nonce: str, key: bytes) -> dict[str, Any]:
    """Verify and decode the response at the very end of the loader's stdout.

    Anything before it (bytes a program pushed into the container's stdout) is ignored; a
    forged response fails the HMAC check because only the loader knows the key.
    """
    if not looks_complete(tail):
        raise ProtocolError("the response is missing or incomplete")
    fields = tail[-TRAILER_SIZE + len(TRAILER_MAGIC) : -1].decode("ascii", "replace")
    if fields[:32] != nonce:
        raise ProtocolError("the response belongs to another request")
    try:
        size = int(fields[32:48], 16)
    except ValueError as error:
        raise ProtocolError("the response trailer is malformed") from error
    if size > len(tail) - TRAILER_SIZE:
        raise ProtocolError("the response is truncated")
    body = tail[len(tail) - TRAILER_SIZE - size : -TRAILER_SIZE]
    if not hmac.compare_digest(sign(key, nonce, body), fields[48:112]):
        raise ProtocolError("the response signature does not match")
    try:
        payload: dict[str, Any] = json.loads(body)
    except ValueError as error:
        raise ProtocolError("the response is not valid JSON") from error
    return payload


def parse_payload(payload: dict[str, Any], time_ms: float) -> RunResult:
    """Turn the loader's payload into a typed RunResult; ProtocolError when it is malformed."""
    try:
        syntax_error = payload.get("syntax_error")
        if syntax_error is not None:
            return RunResult(
                tests=(), aborted=Verdict.SYNTAX_ERROR, message=str(syntax_error), time_ms=time_ms
            )
        tests = tuple(
            TestRun(
                index=index,
                outcome=Outcome(test["outcome"]),
                exit_code=test["exit_code"],
                signal=test["signal"],
                time_ms=test["time_ms"],
                stdout=str(test["stdout"]).encode("latin-1"),
                stderr=str(test["stderr"]).encode("latin-1"),
                stdout_truncated=test["stdout_truncated"],
                stderr_truncated=test["stderr_truncated"],
                error=test["error"],
            )
            for index, test in enumerate(payload["tests"])
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ProtocolError(f"the response has an unexpected shape: {error}") from error
    return RunResult(tests=tests, time_ms=time_ms)
