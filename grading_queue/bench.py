"""Measurements of grading, in-process or through the queue, on the sandbox benchmark's
submission (an accepted 10-test solution): latency percentiles, saturated throughput, and a
burst of submissions spread over a few seconds."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from sandbox import (
    Comparison,
    GradeResult,
    RunLimits,
    SandboxBusy,
    SandboxError,
    TestCase,
    Verdict,
)
from sandbox.bench import BENCH_CASES, BENCH_CODE, BENCH_LIMITS


class Grading(Protocol):
    """Whatever grades: the sandbox pool or the queue's client."""

    async def grade(
        self,
        code: str,
        cases: Sequence[TestCase],
        comparison: Comparison | None = None,
        limits: RunLimits | None = None,
        *,
        job_id: str | None = None,
    ) -> GradeResult: ...


class Latency(BaseModel):
    """Percentiles of end-to-end grading times, in milliseconds."""

    model_config = ConfigDict(frozen=True)

    p50_ms: float
    p95_ms: float
    p99_ms: float
    samples: int


class Burst(BaseModel):
    """Submissions sent at an even pace over `spread_s` seconds, and what became of them."""

    model_config = ConfigDict(frozen=True)

    submitted: int
    spread_s: float
    graded: int
    busy: int
    failed: int
    #: the longest any submission waited for its answer (a verdict or "busy")
    max_wait_ms: float
    p50_wait_ms: float

    @property
    def busy_rate(self) -> float:
        """The share of submissions refused as busy."""
        return self.busy / self.submitted

    @property
    def all_answered(self) -> bool:
        """Whether every submission got a verdict or a "busy" (none failed)."""
        return self.failed == 0


def latency(values_ms: Sequence[float]) -> Latency:
    """The percentiles of `values_ms` (at least two values)."""
    cuts = statistics.quantiles(values_ms, n=100, method="inclusive")
    return Latency(
        p50_ms=round(statistics.median(values_ms), 2),
        p95_ms=round(cuts[94], 2),
        p99_ms=round(cuts[98], 2),
        samples=len(values_ms),
    )


async def grade_once(grader: Grading, job_id: str | None = None) -> float:
    """Grade the benchmark submission; the milliseconds it took. SandboxError unless accepted."""
    started = time.perf_counter()
    result = await grader.grade(BENCH_CODE, BENCH_CASES, limits=BENCH_LIMITS, job_id=job_id)
    elapsed = (time.perf_counter() - started) * 1000
    if result.verdict is not Verdict.ACCEPTED:
        raise SandboxError(f"benchmark submission not accepted: {result.verdict} {result.message}")
    return elapsed


async def paired(
    first: Grading, second: Grading, samples: int, settle_s: float
) -> tuple[Latency, Latency]:
    """`samples` gradings by each, one after the other and alternating (so that both meet the
    same load on the machine), `settle_s` apart so that containers are ready."""
    values: tuple[list[float], list[float]] = ([], [])
    for _ in range(samples):
        for grader, measured in zip((first, second), values, strict=True):
            await asyncio.sleep(settle_s)
            measured.append(await grade_once(grader))
    return latency(values[0]), latency(values[1])


async def throughput(grader: Grading, duration_s: float, clients: int) -> float:
    """Gradings per second by `clients` concurrent submitters keeping the grader busy."""
    deadline = time.monotonic() + duration_s
    done = 0

    async def client() -> None:
        nonlocal done
        while time.monotonic() < deadline:
            await grade_once(grader)
            done += 1

    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(clients)))
    return round(done / (time.monotonic() - started), 2)


async def burst(grader: Grading, count: int, spread_s: float) -> Burst:
    """`count` submissions at an even pace over `spread_s` seconds, each waited for."""
    waits: list[float] = []
    outcomes = {"graded": 0, "busy": 0, "failed": 0}

    async def submit(delay_s: float) -> None:
        await asyncio.sleep(delay_s)
        started = time.perf_counter()
        try:
            await grade_once(grader)
            outcomes["graded"] += 1
        except SandboxBusy:
            outcomes["busy"] += 1
        except SandboxError:
            outcomes["failed"] += 1
        waits.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(submit(spread_s * n / count) for n in range(count)))
    return Burst(
        submitted=count,
        spread_s=spread_s,
        max_wait_ms=round(max(waits), 1),
        p50_wait_ms=round(statistics.median(waits), 1),
        **outcomes,
    )
