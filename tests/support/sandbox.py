"""The sandbox as tests configure and exercise it: a pool of their own and a known program."""

from __future__ import annotations

import os

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


async def assert_healthy(pool: SandboxPool) -> None:
    """The next submission after a hostile one is graded normally."""
    result = await pool.grade(ADD_CODE, ADD_CASES, limits=FAST)
    assert result.verdict is Verdict.ACCEPTED, result
