"""`codestreak bench grading` on the real engine: a short run gives coherent figures."""

from __future__ import annotations

import json

import aiodocker
import pytest

from sandbox.bench import BENCH_CASES, run_benchmark
from sandbox.container import POOL_LABEL
from tests.support.sandbox import make_config

pytestmark = [pytest.mark.docker, pytest.mark.asyncio(loop_scope="function")]


async def test_a_short_benchmark_reports_every_figure_and_cleans_up(sandbox_image: str) -> None:
    config = make_config(sandbox_image, pool_name="bench-test")
    result = await run_benchmark(config, duration_s=1.0, latency_samples=5)
    assert result.latency_samples == 5
    assert result.tests_per_submission == len(BENCH_CASES) == 10
    assert 0 < result.p50_ms <= result.p95_ms
    assert result.throughput_submissions >= 1
    assert result.throughput_per_s > 0
    # the cold baseline starts ten containers where the pool starts none while timing
    assert result.baseline_ms > result.p50_ms
    assert result.speedup == pytest.approx(result.baseline_ms / result.p50_ms, rel=0.01)
    assert result.engine_containers_per_s > 0
    assert result.host_interpreter_ms > 0
    assert result.hostile_stall_ms >= 0
    assert -1.0 < result.hostile_overshoot_s < 1.0
    async with aiodocker.Docker() as docker:
        left = await docker.containers.list(
            all=True, filters=json.dumps({"label": [f"{POOL_LABEL}=bench-test"]})
        )
    assert left == []
