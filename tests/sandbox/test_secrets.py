"""What a program can reach inside its own process: its own input, nothing else of the request.

Each program below hunts for the other tests' inputs, the request's nonce and the loader's key
in a different way: by walking its frames, through the garbage collector, and by reading every
readable byte of its own memory. It looks for each secret by a short prefix and the SHA-256 of
the whole value, so the program's own code never holds the value it looks for.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from sandbox.config import RunLimits
from sandbox.container import SandboxContainer
from sandbox.pool import connect
from sandbox.protocol import encode_request, parse_payload
from sandbox.result import RunResult
from tests.support.sandbox import make_config

pytestmark = [pytest.mark.docker, pytest.mark.asyncio(loop_scope="module")]

TESTS = 3
PREFIX = "SECRETMARK"

SEARCH = """
import gc, hashlib, sys
TARGETS = {targets!r}
own = sys.stdin.buffer.read()
found = set()

def check(data):
    for label, (prefix, length, digest) in TARGETS.items():
        start = data.find(prefix)
        while start != -1:
            if hashlib.sha256(data[start:start + length]).hexdigest() == digest:
                found.add(label)
            start = data.find(prefix, start + 1)

def check_value(value):
    if isinstance(value, str):
        check(value.encode('utf-8', 'surrogatepass'))
    elif isinstance(value, (bytes, bytearray, memoryview)):
        check(bytes(value))
"""

FRAMES = """
frame = sys._getframe()
while frame is not None:
    for namespace in (frame.f_locals, frame.f_globals):
        for value in list(namespace.values()):
            check_value(value)
            check(repr(value).encode('utf-8', 'backslashreplace'))
    frame = frame.f_back
"""

GARBAGE_COLLECTOR = """
gc.unfreeze()
for container in gc.get_objects():
    if isinstance(container, dict):
        values = list(container.keys()) + list(container.values())
    elif isinstance(container, (list, tuple, set, frozenset)):
        values = list(container)
    else:
        values = [container]
    for value in values:
        check_value(value)
"""

MEMORY = """
with open('/proc/self/maps') as maps:
    regions = [line.split() for line in maps]
with open('/proc/self/mem', 'rb', buffering=0) as memory:
    for region in regions:
        if not region[1].startswith('r'):
            continue
        start, end = (int(part, 16) for part in region[0].split('-'))
        tail = b''
        for offset in range(start, end, 1 << 20):
            try:
                memory.seek(offset)
                chunk = memory.read(min(1 << 20, end - offset))
            except (OSError, OverflowError, ValueError):
                break
            check(tail + chunk)
            tail = chunk[-64:]
"""

REPORT = """
own_label = next(
    (label for label, (prefix, length, digest) in TARGETS.items()
     if hashlib.sha256(own[:length]).hexdigest() == digest),
    None,
)
print(' '.join(['own' if own_label in found else 'own-missed', *sorted(found - {own_label})]))
"""


@pytest_asyncio.fixture(loop_scope="module")
async def container(sandbox_image: str) -> AsyncIterator[SandboxContainer]:
    """One started container whose loader announced its key."""
    config = make_config(sandbox_image)
    docker = await connect(config)
    labels = {"codestreak.sandbox": "1", "codestreak.sandbox.pool": config.pool_name}
    sandbox = await SandboxContainer.start(docker, config, labels)
    yield sandbox
    await sandbox.discard()
    await docker.close()


def _target(value: bytes, prefix: bytes) -> tuple[bytes, int, str]:
    return (prefix, len(value), hashlib.sha256(value).hexdigest())


async def _hunt(container: SandboxContainer, sandbox_image: str, method: str) -> RunResult:
    """Run a program that hunts with `method` on TESTS inputs of a request with a known nonce."""
    config = make_config(sandbox_image)
    nonce = secrets.token_hex(16)
    key = container._key
    inputs = [f"{PREFIX}{index}{secrets.token_hex(12)}\n" for index in range(TESTS)]
    targets = {
        f"input-{index}": _target(text.encode()[:-1], PREFIX.encode())
        for index, text in enumerate(inputs)
    }
    targets["nonce"] = _target(nonce.encode(), nonce[:6].encode())
    targets["key"] = _target(key, key[:4])
    code = SEARCH.format(targets=targets) + method + REPORT
    limits = config.effective_limits(RunLimits(time_s=10, memory_mb=64))
    request = encode_request(nonce, code, inputs, limits, config)
    exchange = await container.exchange(
        request, nonce, TESTS * (limits.time_s + 1) + 5, config.response_limit_bytes(TESTS)
    )
    assert exchange.payload is not None, exchange
    return parse_payload(exchange.payload, 0.0)


@pytest.mark.parametrize(
    "method", [FRAMES, GARBAGE_COLLECTOR, MEMORY], ids=["frames", "gc", "own-memory"]
)
async def test_a_program_reaches_nothing_but_its_own_input(
    container: SandboxContainer, sandbox_image: str, method: str
) -> None:
    result = await _hunt(container, sandbox_image, method)
    assert len(result.tests) == TESTS
    for test in result.tests:
        assert test.error is None, test.error
        # the hunt finds the program's own input, which proves it looks in the right places
        assert test.stdout == b"own\n", test.stdout
