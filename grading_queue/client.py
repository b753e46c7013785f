"""`QueueGrader`: the grader interface over the Redis queue, for the bot's and the site's
processes.

One arq job per grading, named by the job id (a submission's), so a grading is never queued
twice: a second `grade` with the same id waits for the first one's job. Graders announce a
finished job on a channel this client listens to, so a result is read the moment it exists;
reading the result every `FALLBACK_POLL_S` covers a lost notice.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from arq.connections import ArqRedis
from arq.constants import result_key_prefix
from redis.exceptions import RedisError

from grading_queue.connection import connect, disconnect, done_channel, listen, wake_channel
from grading_queue.metrics import QUEUE_DEPTH
from grading_queue.wire import GRADE_FUNCTION, WireError, decode_outcome, encode_job, loads
from sandbox import (
    Comparison,
    GradeResult,
    InvalidSubmission,
    RunLimits,
    SandboxBusy,
    SandboxError,
    TestCase,
)

logger = logging.getLogger(__name__)

#: how often a waiting grading reads its result without a notice
FALLBACK_POLL_S = 0.5
#: the pause before listening again after the notice connection broke
RECONNECT_DELAY_S = 1.0
#: how long `start` waits for the notice subscription
SUBSCRIBE_TIMEOUT_S = 5.0


class QueueUnavailable(SandboxError):
    """Redis cannot be reached or failed: the grading did not happen here."""


class GradingExpired(SandboxError):
    """No grader finished the job within the expiry."""


class GraderFailed(SandboxError):
    """A grader answered, but with no usable result."""


class QueueGrader:
    """Grades through the Redis job queue that `codestreak grader` processes serve."""

    def __init__(self, redis_url: str, queue_name: str, max_depth: int, expiry_s: float) -> None:
        self.redis_url = redis_url
        self.queue_name = queue_name
        self.max_depth = max_depth
        self.expiry_s = expiry_s
        self._redis: ArqRedis | None = None
        self._listener: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()
        #: the events of the gradings waiting for each job id
        self._waiters: dict[str, set[asyncio.Event]] = {}

    async def start(self) -> None:
        """Connect and listen for finished jobs; QueueUnavailable when Redis does not answer."""
        if self._redis is not None:
            raise RuntimeError("the queue grader is already started")
        self._redis = connect(self.redis_url, self.queue_name)
        try:
            await self._redis.ping()
        except (RedisError, OSError) as error:
            await disconnect(self._redis)
            self._redis = None
            raise QueueUnavailable(f"cannot reach Redis for the grading queue ({error})") from error
        self._listener = asyncio.create_task(
            listen(self._redis, done_channel(self.queue_name), self._noticed, RECONNECT_DELAY_S),
            name="grading-queue-notices",
        )
        try:
            async with asyncio.timeout(SUBSCRIBE_TIMEOUT_S):
                await self._subscribed.wait()
        except TimeoutError:
            await self.close()
            raise QueueUnavailable("Redis did not confirm the grading queue's channel") from None

    async def close(self) -> None:
        """Stop listening and close the connections."""
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
            self._listener = None
        if self._redis is not None:
            await disconnect(self._redis)
            self._redis = None

    async def reachable(self, timeout_s: float = 2.0) -> bool:
        """Tell whether Redis answers now (for readiness checks)."""
        if self._redis is None:
            return False
        try:
            async with asyncio.timeout(timeout_s):
                await self._redis.ping()
        except (RedisError, OSError, TimeoutError):
            return False
        return True

    async def depth(self) -> int:
        """Jobs in the queue, waiting or running; QueueUnavailable when Redis fails."""
        try:
            return int(await self._client().zcard(self.queue_name))
        except (RedisError, OSError) as error:
            raise QueueUnavailable(f"cannot read the grading queue ({error})") from error

    async def grade(
        self,
        code: str,
        cases: Sequence[TestCase],
        comparison: Comparison | None = None,
        limits: RunLimits | None = None,
        *,
        job_id: str | None = None,
    ) -> GradeResult:
        """Grade through the queue and wait for the result (see `core.grading.Grader`).

        Raises SandboxBusy when the queue is full, QueueUnavailable when Redis fails,
        GradingExpired when no grader finished within the expiry, and what the grader reported
        (InvalidSubmission, SandboxBusy or another SandboxError) otherwise.
        """
        if not cases:
            raise InvalidSubmission("a submission needs at least one test case")
        payload = encode_job(code, cases, comparison, limits)
        job_id = job_id or uuid.uuid4().hex
        deadline = asyncio.get_running_loop().time() + self.expiry_s
        notice = asyncio.Event()
        self._waiters.setdefault(job_id, set()).add(notice)
        try:
            await self._enqueue(job_id, payload)
            raw = await self._wait(job_id, notice, deadline)
        except (RedisError, OSError) as error:
            raise QueueUnavailable(f"the grading queue failed ({error})") from error
        finally:
            waiting = self._waiters[job_id]
            waiting.discard(notice)
            if not waiting:
                del self._waiters[job_id]
        return _outcome(raw)

    def _client(self) -> ArqRedis:
        if self._redis is None:
            raise RuntimeError("the queue grader is not running: call start() first")
        return self._redis

    async def _enqueue(self, job_id: str, payload: dict[str, Any]) -> None:
        """Queue the job unless one with this id exists; SandboxBusy when the queue is full."""
        redis = self._client()
        depth = await redis.zcard(self.queue_name)
        QUEUE_DEPTH.set(depth)
        if depth >= self.max_depth:
            raise SandboxBusy(
                f"the grading queue is busy: {depth} submissions are waiting or running; "
                "try again in a few seconds"
            )
        job = await redis.enqueue_job(
            GRADE_FUNCTION, payload, _job_id=job_id, _expires=self.expiry_s
        )
        if job is not None:
            await redis.publish(wake_channel(self.queue_name), job_id)

    async def _wait(self, job_id: str, notice: asyncio.Event, deadline: float) -> bytes:
        """The job's stored result, read when a grader announces it (or at the fallback poll)."""
        redis = self._client()
        loop = asyncio.get_running_loop()
        while True:
            notice.clear()
            async with redis.pipeline(transaction=True) as pipe:
                pipe.get(result_key_prefix + job_id)
                pipe.zscore(self.queue_name, job_id)
                raw, score = await pipe.execute()
            if raw is not None:
                return bytes(raw)
            if score is None:
                raise GradingExpired("the grading job is gone from the queue without a result")
            left = deadline - loop.time()
            if left <= 0:
                raise GradingExpired(
                    f"no grader finished the job within {self.expiry_s:g} s; are graders running?"
                )
            try:
                async with asyncio.timeout(min(left, FALLBACK_POLL_S)):
                    await notice.wait()
            except TimeoutError:
                pass

    def _noticed(self, data: bytes | None) -> None:
        """Wake the gradings whose job a grader announces as finished; once subscribed (again),
        every waiting grading looks once, as a notice may have been lost meanwhile."""
        if data is None:
            self._subscribed.set()
            self._wake(list(self._waiters))
        else:
            self._wake([data.decode()])

    def _wake(self, job_ids: list[str]) -> None:
        for job_id in job_ids:
            for notice in self._waiters.get(job_id, ()):
                notice.set()


def _outcome(raw: bytes) -> GradeResult:
    """The result in arq's stored record of a finished job, or the error it stands for."""
    try:
        record = loads(raw)
        if record.get("s") is not True:
            reason = str(record.get("r"))
            if "job expired" in reason:
                raise GradingExpired("the grading job expired before a grader could take it")
            raise GraderFailed(f"the grader failed: {reason[:500]}")
        return decode_outcome(record.get("r"))
    except WireError as error:
        raise GraderFailed(f"the grader's answer is unusable: {error}") from None
