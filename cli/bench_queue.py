"""`codestreak bench queue`: grading through the Redis queue against grading in-process, on
this machine, with real `codestreak grader` processes on the local Redis and Docker engine.

In order: in-process latency and throughput; through one grader, latency and throughput; with
two, throughput and a burst; then learners submit a real task through the submission service
(a throwaway SQLite database) while one grader is SIGKILLed, and nothing may be left pending
nor points counted twice.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

import typer
from pydantic import BaseModel, ConfigDict
from redis.asyncio import Redis
from sqlalchemy import func, select

from cli.bench_report import CannotBenchmark, machine
from core import migrations
from core.content.files import read_content
from core.content.loader import load_content
from core.db import open_database, session_scope
from core.grading import sandbox_config
from core.learners import learner_for_discord
from core.models import Submission, User
from core.settings import Settings
from core.submissions.service import Source, SubmissionService
from core.verdicts import SubmissionVerdict
from grading_queue.bench import Burst, Latency, paired, throughput
from grading_queue.bench import burst as run_burst
from grading_queue.client import QueueGrader
from grading_queue.fleet import GraderDidNotStart, GraderProcess, start_grader
from sandbox import (
    Comparison,
    GradeResult,
    RunLimits,
    SandboxConfig,
    SandboxPool,
    TestCase,
)
from sandbox.container import POOL_LABEL
from sandbox.pool import connect, remove_labelled

LOOPBACK_NAMES = {"localhost"}
SETTLE_S = 0.4
BURST_SPREAD_S = 10.0
#: the benchmark's job ids never meet real submissions' ones on a shared Redis
JOB_PREFIX = f"bench-{os.getpid()}-"


class KillRun(BaseModel):
    """Learners submitting while a grader is SIGKILLed."""

    model_config = ConfigDict(frozen=True)

    submissions: int
    accepted: int
    #: seconds from the SIGKILL until the last submission was answered
    recovery_s: float
    left_pending: int
    points_total: int
    points_expected: int


class QueueBenchResult(BaseModel):
    """Every figure of one `codestreak bench queue` run."""

    model_config = ConfigDict(frozen=True)

    machine: str
    in_process: Latency
    queue: Latency
    added_p50_ms: float
    added_p95_ms: float
    in_process_per_s: float
    one_grader_per_s: float
    two_graders_per_s: float
    burst: Burst
    burst_busy_rate: float
    burst_all_answered: bool
    kill: KillRun


def loopback_redis(settings: Settings) -> str:
    """REDIS_URL when it points at this machine; CannotBenchmark otherwise (or when unset)."""
    if settings.redis_url is None:
        raise CannotBenchmark("REDIS_URL is not set; start a local Redis and point REDIS_URL at it")
    url = settings.redis_url.get_secret_value()
    host = urlsplit(url).hostname or ""
    try:
        loopback = host in LOOPBACK_NAMES or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise CannotBenchmark(f"the benchmark runs on loopback only; REDIS_URL points at {host!r}")
    return url


class _Graders:
    """This run's grader processes, on one queue of its own."""

    def __init__(self, redis_url: str, config: SandboxConfig, folder: Path) -> None:
        self.folder = folder
        self.queue_name = f"codestreak:bench:{os.getpid()}"
        self.environment = {
            "REDIS_URL": redis_url,
            "QUEUE_NAME": self.queue_name,
            "SANDBOX_IMAGE": config.image,
            "SANDBOX_POOL_SIZE": str(config.pool_size),
            "SANDBOX_MAX_CONCURRENT": str(config.max_concurrent),
        }
        self.running: list[GraderProcess] = []

    async def add(self) -> GraderProcess:
        name = f"bench-{os.getpid()}-{len(self.running)}"
        command = [sys.executable, "-c", "from cli.main import app; app()", "grader"]
        environment = {**self.environment, "SANDBOX_POOL_NAME": name}
        try:
            grader = await asyncio.to_thread(start_grader, command, self.folder, name, environment)
        except GraderDidNotStart as error:
            raise CannotBenchmark(str(error)) from error
        self.running.append(grader)
        return grader

    async def stop(self, config: SandboxConfig) -> None:
        """Stop every grader, and remove the containers a killed one left."""
        await asyncio.gather(*(asyncio.to_thread(grader.stop) for grader in self.running))
        docker = await connect(config)
        try:
            for grader in self.running:
                await remove_labelled(docker, f"{POOL_LABEL}={grader.name}")
        finally:
            await docker.close()


class _Prefixed:
    """The queue's client, with the benchmark's own job ids (removed afterwards)."""

    def __init__(self, client: QueueGrader) -> None:
        self.client = client

    async def grade(
        self,
        code: str,
        cases: Sequence[TestCase],
        comparison: Comparison | None = None,
        limits: RunLimits | None = None,
        *,
        job_id: str | None = None,
    ) -> GradeResult:
        """Grade with the client under the job id `JOB_PREFIX` + `job_id` (or a random one)."""
        named = JOB_PREFIX + (job_id or uuid.uuid4().hex)
        return await self.client.grade(code, cases, comparison, limits, job_id=named)


@asynccontextmanager
async def _client(redis_url: str, queue_name: str, settings: Settings) -> AsyncIterator[_Prefixed]:
    """The queue's client under the benchmark's job ids, while inside."""
    client = QueueGrader(
        redis_url, queue_name, settings.queue_max_depth, settings.queue_job_expiry_s
    )
    await client.start()
    try:
        yield _Prefixed(client)
    finally:
        await client.close()


async def _kill_run(
    client: _Prefixed, victim: GraderProcess, settings: Settings, learners: int, folder: Path
) -> KillRun:
    """`learners` submit a real task's reference solution at once; `victim` is SIGKILLed once
    it holds a job."""
    url = f"sqlite+aiosqlite:///{folder}/bench.db"
    await migrations.upgrade_async(url)
    async with open_database(url) as database:
        sessions = database.sessions
        content = read_content(settings.content_dir)
        published = [parsed.item for parsed in content.tasks if parsed.item.published]
        if not published:
            raise CannotBenchmark(
                f"no published task in {settings.content_dir}; set CONTENT_DIR to the content"
            )
        task = published[0]
        async with session_scope(sessions) as session:
            await load_content(session, content)
            ids = [
                (await learner_for_discord(session, n + 1, f"bench{n}")).id for n in range(learners)
            ]
        service = SubmissionService(sessions, client, max_code_bytes=settings.max_code_bytes)
        submitting = [
            asyncio.create_task(service.submit(user, task.slug, task.solution, Source.WEB))
            for user in ids
        ]
        for _ in range(3000):  # until the victim is grading (within 30 s)
            if victim.holding():
                break
            await asyncio.sleep(0.01)
        victim.signal(signal.SIGKILL)
        killed = time.monotonic()
        outcomes = await asyncio.gather(*submitting)
        recovery_s = round(time.monotonic() - killed, 2)
        async with session_scope(sessions) as session:
            pending = await session.scalar(
                select(func.count())
                .select_from(Submission)
                .where(Submission.verdict == SubmissionVerdict.PENDING)
            )
            points = await session.scalar(select(func.coalesce(func.sum(User.points), 0)))
    return KillRun(
        submissions=learners,
        accepted=sum(outcome.accepted for outcome in outcomes),
        recovery_s=recovery_s,
        left_pending=int(pending or 0),
        points_total=int(points or 0),
        points_expected=learners * task.awarded_points,  # each learner's first solve of the task
    )


async def _forget_jobs(redis_url: str) -> None:
    """Remove what the benchmark's named jobs left in Redis."""
    redis = Redis.from_url(redis_url)
    try:
        keys = [key async for key in redis.scan_iter(match=f"arq:*{JOB_PREFIX}*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


async def run_queue_benchmark(
    settings: Settings, samples: int, duration_s: float, burst_count: int, learners: int
) -> QueueBenchResult:
    """Run every measurement (see the module's docstring); bounded by the arguments."""
    redis_url = loopback_redis(settings)
    config = sandbox_config(settings).model_copy(update={"pool_name": f"bench-{os.getpid()}"})
    clients = config.max_concurrent * 2
    with tempfile.TemporaryDirectory(prefix="codestreak-bench-") as temporary:
        folder = Path(temporary)
        graders = _Graders(redis_url, config, folder)
        try:
            first = await graders.add()
            async with _client(redis_url, graders.queue_name, settings) as client:
                async with SandboxPool(config) as pool:
                    await pool.wait_ready()
                    in_process, queue = await paired(pool, client, samples, SETTLE_S)
                    in_process_per_s = await throughput(pool, duration_s, clients)
                one = await throughput(client, duration_s, clients)
                await graders.add()
                two = await throughput(client, duration_s, clients * 2)
                burst = await run_burst(client, burst_count, BURST_SPREAD_S)
                kill = await _kill_run(client, first, settings, learners, folder)
        finally:
            await graders.stop(config)
            await _forget_jobs(redis_url)
    return QueueBenchResult(
        machine=machine(),
        in_process=in_process,
        queue=queue,
        added_p50_ms=round(queue.p50_ms - in_process.p50_ms, 2),
        added_p95_ms=round(queue.p95_ms - in_process.p95_ms, 2),
        in_process_per_s=in_process_per_s,
        one_grader_per_s=one,
        two_graders_per_s=two,
        burst=burst,
        burst_busy_rate=round(burst.busy_rate, 3),
        burst_all_answered=burst.all_answered,
        kill=kill,
    )


def print_queue(result: QueueBenchResult) -> None:
    """The benchmark's figures, one a line."""
    lines = [
        f"machine            {result.machine}",
        f"in-process         p50 {result.in_process.p50_ms:7.1f} ms  p95 "
        f"{result.in_process.p95_ms:7.1f} ms  p99 {result.in_process.p99_ms:7.1f} ms",
        f"through the queue  p50 {result.queue.p50_ms:7.1f} ms  p95 {result.queue.p95_ms:7.1f} ms"
        f"  p99 {result.queue.p99_ms:7.1f} ms",
        f"queue adds         p50 {result.added_p50_ms:7.1f} ms  p95 {result.added_p95_ms:7.1f} ms",
        f"throughput         {result.in_process_per_s:7.2f} /s in-process, "
        f"{result.one_grader_per_s:.2f} /s one grader, {result.two_graders_per_s:.2f} /s two",
        f"burst              {result.burst.submitted} in {result.burst.spread_s:g} s: "
        f"{result.burst.graded} graded, {result.burst.busy} busy "
        f"({result.burst_busy_rate:.1%}), {result.burst.failed} failed; "
        f"max wait {result.burst.max_wait_ms:.0f} ms, median {result.burst.p50_wait_ms:.0f} ms",
        f"grader SIGKILLed   {result.kill.submissions} submissions, {result.kill.accepted} "
        f"accepted, recovered in {result.kill.recovery_s:.1f} s, {result.kill.left_pending} "
        f"left pending, points {result.kill.points_total} of {result.kill.points_expected}",
    ]
    for line in lines:
        typer.echo(line)
