"""Fixtures for the sandbox tests: the image built from the current sources and a live pool."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest_asyncio

from sandbox import RunLimits, SandboxConfig, SandboxPool, TestCase, Verdict

HOST_SECRET = "codestreak-host-secret-7f3a9c"
ADD_CODE = "a, b = map(int, input().split())\nprint(a + b)\n"
ADD_CASES = [TestCase(input=f"{i} {i + 1}\n", expected=f"{2 * i + 1}\n") for i in range(3)]
FAST = RunLimits(time_s=1.0, memory_mb=32)


def make_config(image: str, **overrides: object) -> SandboxConfig:
    """A sandbox configuration for tests with its own pool name."""
    settings: dict[str, object] = {
        "image": image,
        "pool_name": f"test-{os.getpid()}",
        "pool_size": 3,
        "max_concurrent": 3,
    }
    settings.update(overrides)
    return SandboxConfig.model_validate(settings)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def pool(sandbox_image: str) -> AsyncIterator[SandboxPool]:
    """A started pool shared by one test module; a secret sits in the host's environment."""
    os.environ["CODESTREAK_SANDBOX_TEST_SECRET"] = HOST_SECRET
    sandbox = SandboxPool(make_config(sandbox_image))
    await sandbox.start()
    await sandbox.wait_ready()
    yield sandbox
    await sandbox.close()
    del os.environ["CODESTREAK_SANDBOX_TEST_SECRET"]


async def assert_healthy(pool: SandboxPool) -> None:
    """The next submission after a hostile one is graded normally."""
    result = await pool.grade(ADD_CODE, ADD_CASES, limits=FAST)
    assert result.verdict is Verdict.ACCEPTED, result
