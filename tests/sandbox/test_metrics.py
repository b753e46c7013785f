"""The ready-containers gauge follows the watched pool against the real engine."""

from __future__ import annotations

import pytest

from sandbox import SandboxPool
from sandbox.metrics import watch_pool
from tests.support.metrics import exposition, sample
from tests.support.sandbox import make_config

pytestmark = [pytest.mark.docker, pytest.mark.asyncio(loop_scope="function")]

READY = "codestreak_sandbox_ready_containers"


async def test_the_gauge_reports_the_watched_pools_ready_containers(sandbox_image: str) -> None:
    pool = SandboxPool(make_config(sandbox_image, pool_name=f"metrics-{id(object())}", pool_size=2))
    watch_pool(pool)
    assert sample(exposition(), READY) == 0
    async with pool:
        await pool.wait_ready(2)
        assert sample(exposition(), READY) == pool.ready_count == 2
    assert sample(exposition(), READY) == 0
