"""Host side of the loader protocol: build a request, find and check the response.

The container's stdout is the loader's, but a program can write into it too (through the init
process's descriptors), so everything read from it is hostile until its signature is checked.
`ResponseReader` does the reading in time linear in the bytes received and in bounded memory:
each chunk costs a fixed look at the last bytes; only a trailer carrying this request's nonce
leads to the one signature check, which reads the body where it lies.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from sandbox.config import MIB, RunLimits, SandboxConfig
from sandbox.loader import (
    BANNER_SIZE,
    BLOB_FIELDS,
    HEADER_DIGITS,
    READY,
    TRAILER_MAGIC,
    TRAILER_SIZE,
    sign,
)
from sandbox.result import Outcome, RunResult, TestRun, Verdict

_NONCE_AT = len(TRAILER_MAGIC)
_SIZE_AT = _NONCE_AT + 32
_SIGNATURE_AT = _SIZE_AT + 16
#: bytes a program may push into the stream beyond twice the largest honest response
FLOOD_ALLOWANCE = 8 * MIB
#: checking or comparing up to this many bytes of a response takes well under a millisecond
#: and is done on the event loop; more goes to a worker thread
INLINE_WORK_BYTES = 256 * 1024


class ProtocolError(Exception):
    """The bytes from the container are not a complete, intact response."""


class ForgedResponse(ProtocolError):
    """A trailer with this request's nonce whose size or signature is wrong: written by the
    program, not by the loader."""


class OutputFlood(ProtocolError):
    """The stream carried far more than an honest response could."""


def encode_request(
    nonce: str,
    code: str,
    inputs: list[str],
    limits: RunLimits,
    config: SandboxConfig,
    calls: bool = False,
) -> bytes:
    """Frame one request for the loader: 8-byte big-endian length, then JSON. With `calls`
    each input is a script of calls to the program's function or class."""
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
            "calls": calls,
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


class ResponseReader:
    """Finds the loader's signed response at the end of everything read from its stdout.

    Keeps at most twice the largest honest response; a stream longer than that plus
    `FLOOD_ALLOWANCE` is a flood.
    """

    def __init__(self, nonce: str, response_limit: int) -> None:
        self._nonce = nonce.encode("ascii")
        self._limit = response_limit
        self._keep = response_limit + TRAILER_SIZE
        self._buffer = bytearray()
        self._size: int | None = None
        self.received = 0
        self.flood_limit = 2 * response_limit + FLOOD_ALLOWANCE

    @property
    def body_size(self) -> int:
        """The size of the response body found (0 before one is)."""
        return self._size or 0

    def feed(self, data: bytes) -> bool:
        """Take the next bytes; True once they end with this request's trailer.

        Raises OutputFlood past the flood limit and ForgedResponse for a trailer with this
        request's nonce that cannot be the loader's.
        """
        self.received += len(data)
        if self.received > self.flood_limit:
            raise OutputFlood("the program flooded the sandbox with output")
        self._buffer += data
        if len(self._buffer) > 2 * self._keep:
            del self._buffer[: len(self._buffer) - self._keep]  # cheap: bytearray drops its head
        self._size = self._trailer_size()
        return self._size is not None

    def _trailer_size(self) -> int | None:
        """The body size the trailer at the end announces; None when there is no trailer of
        this request there."""
        if len(self._buffer) < TRAILER_SIZE or self._buffer[-1] != 0x0A:
            return None
        trailer = bytes(self._buffer[-TRAILER_SIZE:])
        if not trailer.startswith(TRAILER_MAGIC) or trailer[_NONCE_AT:_SIZE_AT] != self._nonce:
            return None
        try:
            size = int(trailer[_SIZE_AT:_SIGNATURE_AT], 16)
        except ValueError:
            size = -1
        if not 0 <= size <= min(self._limit, len(self._buffer) - TRAILER_SIZE):
            raise ForgedResponse("the response trailer announces an impossible size")
        return size

    def decode(self, key: bytes) -> dict[str, Any]:
        """Check the signature of the response that `feed` found and decode it, once.

        Raises ForgedResponse for a bad signature and ProtocolError for a signed response of
        the wrong shape. Hashing releases the interpreter lock, so this may run in a thread.
        """
        if self._size is None:
            raise ProtocolError("the response is missing or incomplete")
        with memoryview(self._buffer) as view:
            end = len(view) - TRAILER_SIZE
            body = view[end - self._size : end]
            signature = bytes(view[end + _SIGNATURE_AT : -1])
            if not hmac.compare_digest(
                sign(key, self._nonce.decode("ascii"), body).encode("ascii"), signature
            ):
                raise ForgedResponse("the response signature does not match")
            try:
                return decode_body(body)
            finally:
                body.release()


def decode_body(body: memoryview | bytes) -> dict[str, Any]:
    """Decode a response body: the JSON header, with each test's raw parts put back (output
    and call results as bytes, the error as text)."""
    view = memoryview(body)
    try:
        size = int(bytes(view[:HEADER_DIGITS]), 16)
        offset = HEADER_DIGITS + size
        payload: dict[str, Any] = json.loads(bytes(view[HEADER_DIGITS:offset]))
        for test in payload["tests"]:
            for name, length in zip(BLOB_FIELDS, test.pop("blobs"), strict=True):
                if length < 0:
                    test[name] = None
                    continue
                if offset + length > len(view):
                    raise ProtocolError("the response body is shorter than its header says")
                data = bytes(view[offset : offset + length])
                test[name] = data.decode("utf-8", "replace") if name == "error" else data
                offset += length
    except (KeyError, TypeError, ValueError) as error:
        raise ProtocolError(f"the response is malformed: {error}") from error
    if offset != len(view):
        raise ProtocolError("the response body is longer than its header says")
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
                stdout=bytes(test["stdout"]),
                stderr=bytes(test["stderr"]),
                stdout_truncated=test["stdout_truncated"],
                stderr_truncated=test["stderr_truncated"],
                error=test["error"],
                results=None if test["results"] is None else bytes(test["results"]),
            )
            for index, test in enumerate(payload["tests"])
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ProtocolError(f"the response has an unexpected shape: {error}") from error
    return RunResult(tests=tests, time_ms=time_ms)
