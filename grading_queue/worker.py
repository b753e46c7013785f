"""The grader's side of the queue: an arq worker grading jobs in this host's sandbox pool.

Taking a job marks it in progress for a short lease that the worker renews while it grades; a
grader that dies stops renewing, and another takes the job up once the lease lapses (at most
`MAX_TRIES` runs in all; completing a submission twice is refused by the completion side too).
A SIGTERM drains: no new jobs, running ones finish (within `drain_s`), then the pool's containers
are removed. A grader whose Docker engine stops answering hands its jobs back to the queue at
once, without a result and without counting the run, and stops (GraderUnavailable): answering
them "not graded" would let a broken grader drain the queue faster than the healthy ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from arq.constants import in_progress_key_prefix, retry_key_prefix
from arq.worker import Retry, Worker, func
from redis.exceptions import RedisError

from grading_queue.connection import connect, disconnect, done_channel, listen, wake_channel
from grading_queue.metrics import observe_wait
from grading_queue.wire import (
    GRADE_FUNCTION,
    GradingFailure,
    WireError,
    decode_job,
    dumps,
    encode_outcome,
    loads,
)
from sandbox import DockerUnavailable, InvalidSubmission, SandboxConfig, SandboxError, SandboxPool
from sandbox.metrics import watch_pool

logger = logging.getLogger(__name__)

#: runs of one job at most (the first, and retries after a grader died or was stopped)
MAX_TRIES = 3
#: seconds a taken job stays marked as in progress without its grader renewing the mark
LEASE_S = 10.0
#: seconds between looks at the queue when no notice arrives (notices make them rare)
IDLE_POLL_S = 1.0
#: seconds a job may take beyond the sandbox's slowest possible run
JOB_MARGIN_S = 10.0


class GraderUnavailable(Exception):
    """The grader cannot start or go on: Redis or its Docker engine does not answer (the message
    says what to do)."""


@dataclass(frozen=True)
class GraderOptions:
    """How one grader process serves the queue."""

    redis_url: str
    queue_name: str
    sandbox: SandboxConfig
    concurrency: int
    #: seconds finished jobs' results are kept (duplicate gradings read them)
    keep_result_s: float
    #: seconds SIGTERM waits for running jobs before they are handed back to the queue
    drain_s: float
    lease_s: float = LEASE_S
    idle_poll_s: float = IDLE_POLL_S


def job_timeout_s(config: SandboxConfig) -> float:
    """The longest a job may run: waiting for a container, then the slowest run allowed."""
    return config.acquire_timeout_s + config.longest_run_s + JOB_MARGIN_S


async def grade(ctx: dict[str, Any], payload: object) -> dict[str, Any]:
    """The job: decode, grade in this host's pool (outputs compared on the host), encode."""
    pool: SandboxPool = ctx["sandbox"]
    try:
        job = decode_job(payload)
        result = await pool.grade(job.code, job.cases, job.comparison, job.limits)
    except WireError as error:  # a client of another version: not the learner's fault
        return encode_outcome(GradingFailure.of(SandboxError(f"unreadable job: {error}")))
    except DockerUnavailable as error:  # this host's failure: the job goes to another grader
        worker: GradingWorker = ctx["worker"]
        raise worker.hand_back(ctx["job_id"], error) from error
    except (SandboxError, InvalidSubmission) as error:
        logger.warning("could not grade job %s: %s", ctx["job_id"], error)
        return encode_outcome(GradingFailure.of(error))
    return encode_outcome(result)


class GradingWorker(Worker):
    """arq's worker, woken by notices instead of polling, holding its jobs by a renewed lease,
    and announcing each finished job."""

    def __init__(self, options: GraderOptions, pool: SandboxPool) -> None:
        self.options = options
        self._nudge = asyncio.Event()
        self._leases: dict[str, asyncio.Task[None]] = {}
        #: why this grader stopped taking jobs: its engine went away (None while it works)
        self.engine_lost: DockerUnavailable | None = None
        self._handed_back: set[str] = set()
        timeout_s = job_timeout_s(options.sandbox)
        super().__init__(
            [func(grade, name=GRADE_FUNCTION, max_tries=MAX_TRIES, timeout=timeout_s)],
            queue_name=options.queue_name,
            redis_pool=connect(options.redis_url, options.queue_name),
            max_jobs=options.concurrency,
            job_timeout=timeout_s,
            keep_result=options.keep_result_s,
            poll_delay=0,  # heart_beat waits for a notice instead
            max_tries=MAX_TRIES,
            job_completion_wait=max(1, round(options.drain_s)),
            ctx={"sandbox": pool, "worker": self},
            on_job_start=self._hold,
            on_job_end=self._release,
            after_job_end=self._announce,
            log_results=False,
            job_serializer=dumps,
            job_deserializer=loads,
        )
        # a taken job is marked for one lease, renewed while it runs (see `_hold`)
        self.in_progress_timeout_s = options.lease_s

    async def serve(self) -> None:
        """Take jobs until a signal stops the worker, then close it (running jobs drained).

        Raises GraderUnavailable when Redis is lost, or the engine (its jobs handed back).
        """
        listener = asyncio.create_task(
            listen(
                self.pool,
                wake_channel(self.options.queue_name),
                lambda _: self._nudge.set(),
                self.options.idle_poll_s,
            ),
            name="grading-queue-wake",
        )
        try:
            await self.async_run()
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # cancelled from outside, not stopped by a signal
        except RedisError as error:
            raise GraderUnavailable(
                f"lost Redis ({error}); the grader stops so that it is started again once Redis "
                "is back (jobs it held go to another grader)"
            ) from error
        finally:
            listener.cancel()
            await asyncio.gather(listener, return_exceptions=True)
            try:
                await self.close()
            except RedisError as error:  # Redis is gone: nothing left to tidy there
                logger.warning("could not close the queue's connection: %s", error)

    def hand_back(self, job_id: str, error: DockerUnavailable) -> Retry:
        """Give `job_id` back to the queue (what to raise from the job: arq then stores no
        result and leaves it queued) and take no more jobs, as this host's engine is gone; the
        worker stops once its running jobs ended (see `heart_beat`)."""
        self._handed_back.add(job_id)
        if self.engine_lost is None:
            logger.error("the Docker engine stopped answering; taking no more jobs: %s", error)
            self.engine_lost = error
            self.allow_pick_jobs = False
        logger.warning("handing job %s back to the queue", job_id)
        return Retry()

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        """Start jobs as arq does; a job ending frees a slot, so look at the queue again then."""
        before = set(self.tasks.values())
        await super().start_jobs(job_ids)
        for task in self.tasks.values():
            if task not in before:
                task.add_done_callback(lambda _: self._nudge.set())

    async def heart_beat(self) -> None:
        """After each look at the queue: wait for a new job's notice, a freed slot, or the idle
        poll, whichever comes first.

        Once the engine is lost and every job taken has ended (those on the lost engine are
        handed back at once), raise GraderUnavailable: here no job is being taken meanwhile.
        """
        await super().heart_beat()
        if self.engine_lost is not None and not self.tasks:
            raise GraderUnavailable(
                f"lost its Docker engine: {self.engine_lost} The jobs it held went back to the "
                "queue for the other graders; the grader stops so that it is started again "
                "(once the engine answers)"
            ) from self.engine_lost
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.options.idle_poll_s):
                await self._nudge.wait()
        self._nudge.clear()

    async def _hold(self, ctx: dict[str, Any]) -> None:
        job_id: str = ctx["job_id"]
        observe_wait(ctx["enqueue_time"])
        self._leases[job_id] = asyncio.create_task(self._renew(job_id), name=f"lease-{job_id}")

    async def _renew(self, job_id: str) -> None:
        lease_ms = int(self.options.lease_s * 1000)
        while True:
            await asyncio.sleep(self.options.lease_s / 3)
            try:
                await self.pool.pexpire(in_progress_key_prefix + job_id, lease_ms)
            except (RedisError, OSError) as error:
                logger.warning("could not renew the lease of job %s: %s", job_id, error)

    async def _release(self, ctx: dict[str, Any]) -> None:
        job_id: str = ctx["job_id"]
        lease = self._leases.pop(job_id, None)
        if lease is not None:
            lease.cancel()
        if job_id in self._handed_back:  # the run is not counted: its grader failed, not the job
            try:
                await self.pool.decr(retry_key_prefix + job_id)
            except (RedisError, OSError) as error:
                logger.warning("job %s keeps its run counted: %s", job_id, error)

    async def _announce(self, ctx: dict[str, Any]) -> None:
        """Say that a job finished, or, for a job handed back, that it waits again for a grader
        (so an idle one takes it now instead of at its next look)."""
        job_id: str = ctx["job_id"]
        channel = wake_channel if job_id in self._handed_back else done_channel
        self._handed_back.discard(job_id)
        try:
            await self.pool.publish(channel(self.options.queue_name), job_id)
        except (RedisError, OSError) as error:  # found by polling then
            logger.warning("could not announce job %s: %s", job_id, error)


async def check_redis(redis_url: str, queue_name: str, timeout_s: float = 5.0) -> None:
    """Raise GraderUnavailable unless Redis answers at `redis_url`."""
    redis = connect(redis_url, queue_name)
    try:
        async with asyncio.timeout(timeout_s):
            await redis.ping()
    except (RedisError, OSError, TimeoutError) as error:
        raise GraderUnavailable(
            f"cannot reach Redis at REDIS_URL ({error or 'no answer'}); check the address, the "
            "password and that Redis is running"
        ) from error
    finally:
        await disconnect(redis)


async def run_grader(options: GraderOptions) -> None:
    """Serve the queue with a sandbox pool on this host's engine until SIGTERM or SIGINT.

    Raises GraderUnavailable when Redis cannot be reached or is lost, and a SandboxError
    (Docker, the image) when the sandbox cannot start.
    """
    await check_redis(options.redis_url, options.queue_name)
    async with SandboxPool(options.sandbox) as pool:
        watch_pool(pool)
        await GradingWorker(options, pool).serve()
