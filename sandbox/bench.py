"""Measure the sandbox: latency with a ready pool, sustained throughput, and the cold baseline.

`codestreak bench grading [--json]` prints the numbers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import statistics
import sys
import time
from collections.abc import AsyncIterator

import aiodocker
from pydantic import BaseModel, ConfigDict

from sandbox.compare import Comparison
from sandbox.config import RunLimits, SandboxConfig
from sandbox.container import INSTANCE_LABEL, LABEL, POOL_LABEL, SandboxContainer
from sandbox.errors import SandboxError
from sandbox.grader import grade_run
from sandbox.loader import TRAILER_SIZE
from sandbox.pool import SandboxPool, connect
from sandbox.protocol import FLOOD_ALLOWANCE, encode_request, parse_payload
from sandbox.result import GradeResult, RunResult, TestCase, TestRun, Verdict

logger = logging.getLogger(__name__)

BENCH_CODE = "a, b = map(int, input().split())\nprint(a + b)\n"
BENCH_CASES = tuple(TestCase(input=f"{i} {i * 7}\n", expected=f"{i * 8}\n") for i in range(10))
BENCH_LIMITS = RunLimits(time_s=2.0, memory_mb=64)


class BenchResult(BaseModel):
    """Numbers of one benchmark run (milliseconds, submissions per second)."""

    model_config = ConfigDict(frozen=True)

    p50_ms: float
    p95_ms: float
    throughput_per_s: float
    baseline_ms: float
    speedup: float
    latency_samples: int
    throughput_submissions: int
    tests_per_submission: int
    #: what this machine allows, to read the figures above against: containers per second the
    #: engine starts and removes with nothing graded (the ceiling of `throughput_per_s`), and
    #: the median start of a bare host interpreter (`python3 -I -S -c pass`)
    engine_containers_per_s: float
    host_interpreter_ms: float
    #: a hostile submission that stops its own supervision and keeps pushing trailer-shaped
    #: frames into the container's stdout: the longest the event loop waited meanwhile, and
    #: how long the host took beyond the submission's deadline to end it
    hostile_stall_ms: float
    hostile_overshoot_s: float


#: fills the host's kept buffer, stops the supervisor and the spawner (SIGSTOP cannot be
#: blocked), then trickles trailer-shaped frames just below the flood limit until the deadline
HOSTILE_CODE = """
import os, signal, time
fd = os.open('/proc/1/fd/1', os.O_WRONLY)
os.write(fd, b'x' * {junk})
frame = b'\\nCODESTREAK-RESPONSE:' + b'0' * 32 + b'%016x' % {junk} + b'0' * 64 + b'\\n'
for pid in os.listdir('/proc'):
    if pid.isdigit() and int(pid) not in (1, os.getpid()):
        os.kill(int(pid), signal.SIGSTOP)
while True:
    os.write(fd, frame * {frames})
    time.sleep(0.001)
"""
HOSTILE_LIMITS = RunLimits(time_s=1.0, memory_mb=64)


class HostileResult(BaseModel):
    """How the host fared while grading one hostile submission."""

    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    stall_ms: float
    deadline_s: float
    elapsed_s: float


async def _worst_stall(stop: asyncio.Event, period_s: float = 0.001) -> float:
    """The longest the event loop kept a `period_s` sleep waiting beyond its time, until stop."""
    worst = 0.0
    while not stop.is_set():
        before = time.monotonic()
        await asyncio.sleep(period_s)
        worst = max(worst, time.monotonic() - before - period_s)
    return worst


async def grade_hostile(pool: SandboxPool) -> HostileResult:
    """Grade HOSTILE_CODE on one test while measuring the event loop's worst stall.

    The sizes follow the live configuration: the junk fills what the host keeps of the stream,
    and the trickle stays below the flood limit for the whole deadline, so only the deadline
    ends the submission.
    """
    config = pool.config
    limits = config.effective_limits(HOSTILE_LIMITS)
    deadline_s = config.deadline_s(1, limits.time_s)
    response_limit = config.response_limit_bytes(1)
    room = response_limit + FLOOD_ALLOWANCE  # what the trickle may add before it is a flood
    frames = max(1, int(room / (2 * deadline_s * 1000 * 1.2) / TRAILER_SIZE))
    code = HOSTILE_CODE.format(junk=response_limit, frames=frames)
    stop = asyncio.Event()
    watcher = asyncio.create_task(_worst_stall(stop))
    started = time.monotonic()
    try:
        result = await pool.grade(code, [TestCase(input="", expected="")], limits=limits)
    finally:
        elapsed = time.monotonic() - started
        stop.set()
    stall = await watcher
    return HostileResult(
        verdict=result.verdict, stall_ms=stall * 1000, deadline_s=deadline_s, elapsed_s=elapsed
    )


def _percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _require_accepted(result: GradeResult) -> None:
    """Stop the benchmark when the sandbox does not accept the benchmark solution."""
    if result.verdict is not Verdict.ACCEPTED:
        raise SandboxError(f"benchmark submission not accepted: {result.verdict} {result.message}")


@contextlib.asynccontextmanager
async def _engine(
    config: SandboxConfig, instance: str
) -> AsyncIterator[tuple[aiodocker.Docker, dict[str, str]]]:
    """A client to the engine and the labels of this measurement's own containers."""
    docker = await connect(config)
    try:
        yield docker, {LABEL: "1", POOL_LABEL: config.pool_name, INSTANCE_LABEL: instance}
    finally:
        await docker.close()


async def grade_cold(config: SandboxConfig, code: str, cases: tuple[TestCase, ...]) -> GradeResult:
    """The baseline: one cold container per test case, one after the other."""
    limits = config.effective_limits(BENCH_LIMITS)
    runs: list[TestRun] = []
    async with _engine(config, "baseline") as (docker, labels):
        started = time.monotonic()
        for case in cases:
            container = await SandboxContainer.start(docker, config, labels)
            try:
                nonce = secrets.token_hex(16)
                request = encode_request(nonce, code, [case.input], limits, config)
                exchange = await container.exchange(
                    request,
                    nonce,
                    config.deadline_s(1, limits.time_s),
                    config.response_limit_bytes(1),
                )
            finally:
                await container.discard()
            if exchange.payload is None:
                raise SandboxError(f"baseline run failed: {exchange.message}")
            runs.append(
                parse_payload(exchange.payload, 0.0)
                .tests[0]
                .model_copy(update={"index": len(runs)})
            )
        elapsed = (time.monotonic() - started) * 1000
    return grade_run(RunResult(tests=tuple(runs), time_ms=elapsed), cases, Comparison())


async def _latencies(pool: SandboxPool, samples: int) -> list[float]:
    """Grade the benchmark submission `samples` times, each with a full, settled pool."""
    latencies = []
    for _ in range(samples):
        await pool.wait_ready()
        await asyncio.sleep(0.1)
        started = time.monotonic()
        result = await pool.grade(BENCH_CODE, BENCH_CASES, limits=BENCH_LIMITS)
        latencies.append((time.monotonic() - started) * 1000)
        _require_accepted(result)
    return latencies


async def _throughput(pool: SandboxPool, duration_s: float) -> int:
    """Submissions graded in `duration_s` by enough concurrent clients to keep it busy."""
    deadline = time.monotonic() + duration_s
    done = 0

    async def client() -> None:
        nonlocal done
        while time.monotonic() < deadline:
            _require_accepted(await pool.grade(BENCH_CODE, BENCH_CASES, limits=BENCH_LIMITS))
            done += 1

    await asyncio.gather(*(client() for _ in range(pool.config.max_concurrent * 2)))
    return done


async def engine_ceiling(config: SandboxConfig, containers: int = 20) -> float:
    """Containers per second the engine starts (loader ready) and removes, with nothing graded,
    `fill_concurrency` at a time as the pool does."""
    slots = asyncio.Semaphore(config.fill_concurrency)
    async with _engine(config, "ceiling") as (docker, labels):

        async def cycle() -> None:
            async with slots:
                container = await SandboxContainer.start(docker, config, labels)
                await container.discard()

        started = time.monotonic()
        await asyncio.gather(*(cycle() for _ in range(containers)))
        return containers / (time.monotonic() - started)


async def host_interpreter_ms(samples: int = 20) -> float:
    """Median milliseconds to start and end a bare host Python interpreter."""
    durations = []
    for _ in range(samples):
        started = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-I", "-S", "-c", "pass", stdout=asyncio.subprocess.DEVNULL
        )
        await process.wait()
        durations.append((time.monotonic() - started) * 1000)
    return statistics.median(durations)


async def run_benchmark(
    config: SandboxConfig, duration_s: float = 20.0, latency_samples: int = 30
) -> BenchResult:
    """Measure p50/p95 latency of a 10-test accepted submission with a ready pool, the
    sustained throughput over `duration_s` (a fresh container per submission), the baseline
    of one cold container per test case, and what the machine allows (the engine's container
    rate and a bare interpreter's start), and how the host fares under a hostile submission."""
    async with SandboxPool(config) as pool:
        await pool.wait_ready()
        latencies = await _latencies(pool, latency_samples)
        started = time.monotonic()
        submissions = await _throughput(pool, duration_s)
        throughput = submissions / (time.monotonic() - started)
        await pool.wait_ready()
        hostile = await grade_hostile(pool)
    baselines = []
    for _ in range(3):
        cold = await grade_cold(config, BENCH_CODE, BENCH_CASES)
        _require_accepted(cold)
        baselines.append(cold.time_ms)
    ceiling = await engine_ceiling(config)
    interpreter_ms = await host_interpreter_ms()
    p50 = statistics.median(latencies)
    baseline = statistics.median(baselines)
    return BenchResult(
        p50_ms=round(p50, 1),
        p95_ms=round(_percentile(latencies, 0.95), 1),
        throughput_per_s=round(throughput, 2),
        baseline_ms=round(baseline, 1),
        speedup=round(baseline / p50, 1),
        latency_samples=len(latencies),
        throughput_submissions=submissions,
        tests_per_submission=len(BENCH_CASES),
        engine_containers_per_s=round(ceiling, 2),
        host_interpreter_ms=round(interpreter_ms, 1),
        hostile_stall_ms=round(hostile.stall_ms, 1),
        hostile_overshoot_s=round(hostile.elapsed_s - hostile.deadline_s, 2),
    )
