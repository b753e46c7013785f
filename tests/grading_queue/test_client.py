"""The queue's client on a real Redis with no grader: refusals, uniqueness, expiry and a Redis
that fails."""

from __future__ import annotations

import asyncio
import pickle
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from arq.constants import result_key_prefix
from redis import Redis

from grading_queue.client import GraderFailed, GradingExpired, QueueGrader, QueueUnavailable
from sandbox import InvalidSubmission, SandboxBusy
from tests.support.redis import free_port, own_server
from tests.support.sandbox import ADD_CASES, ADD_CODE

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def client(redis_url: str, redis_queue_name: str) -> AsyncIterator[QueueGrader]:
    """A started client on the test's own Redis database, allowing 2 jobs in the queue."""
    grader = QueueGrader(redis_url, redis_queue_name, max_depth=2, expiry_s=30)
    await grader.start()
    yield grader
    await grader.close()


async def _wait_for_depth(client: QueueGrader, depth: int) -> None:
    for _ in range(500):
        if await client.depth() == depth:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the queue never held {depth} jobs")


async def test_busy_when_the_queue_is_full(client: QueueGrader) -> None:
    waiting = [asyncio.create_task(client.grade(ADD_CODE, ADD_CASES)) for _ in range(2)]
    try:
        await _wait_for_depth(client, 2)
        with pytest.raises(SandboxBusy, match="queue is busy"):
            await client.grade(ADD_CODE, ADD_CASES)
    finally:
        for task in waiting:
            task.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)


async def test_one_job_per_job_id(client: QueueGrader, redis_url: str) -> None:
    same = [
        asyncio.create_task(client.grade(ADD_CODE, ADD_CASES, job_id="submission-7"))
        for _ in range(2)
    ]
    try:
        await _wait_for_depth(client, 1)
        await asyncio.sleep(0.2)
        assert await client.depth() == 1
        assert not any(task.done() for task in same)  # the second waits for the first's job
    finally:
        for task in same:
            task.cancel()
        await asyncio.gather(*same, return_exceptions=True)


async def test_no_grader_means_not_graded_after_the_expiry(
    redis_url: str, redis_queue_name: str
) -> None:
    client = QueueGrader(redis_url, redis_queue_name, max_depth=10, expiry_s=0.6)
    await client.start()
    try:
        started = time.monotonic()
        with pytest.raises(GradingExpired, match=r"within 0\.6 s"):
            await client.grade(ADD_CODE, ADD_CASES)
        assert 0.5 < time.monotonic() - started < 3
    finally:
        await client.close()


async def test_no_cases_is_refused_before_queueing(client: QueueGrader) -> None:
    with pytest.raises(InvalidSubmission, match="at least one test case"):
        await client.grade(ADD_CODE, [])
    assert await client.depth() == 0


async def test_a_pickled_result_is_refused(client: QueueGrader, redis_url: str) -> None:
    forged = {"s": True, "r": {"result": None}, "t": 1, "f": "grade", "a": [], "k": {}}
    with Redis.from_url(redis_url) as redis:
        redis.set(result_key_prefix + "submission-9", pickle.dumps(forged))
    with pytest.raises(GraderFailed, match="not JSON"):
        await client.grade(ADD_CODE, ADD_CASES, job_id="submission-9")


async def test_a_failed_job_is_not_graded(client: QueueGrader, redis_url: str) -> None:
    failed = b'{"s":false,"r":"JobExecutionFailed: max 3 retries exceeded"}'
    with Redis.from_url(redis_url) as redis:
        redis.set(result_key_prefix + "submission-10", failed)
    with pytest.raises(GraderFailed, match="max 3 retries exceeded"):
        await client.grade(ADD_CODE, ADD_CASES, job_id="submission-10")


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A Redis server of this test's own, which the test may stop."""
    with own_server(tmp_path) as server:
        yield server


async def test_redis_failing_means_not_graded(
    own_redis: tuple[str, subprocess.Popen[bytes]],
) -> None:
    url, server = own_redis
    client = QueueGrader(url, "codestreak:grading", max_depth=10, expiry_s=30)
    await client.start()
    try:
        assert await client.reachable()
        server.kill()
        server.wait()
        with pytest.raises(QueueUnavailable, match="grading queue failed"):
            await client.grade(ADD_CODE, ADD_CASES)
        assert not await client.reachable(timeout_s=1)
    finally:
        await client.close()


async def test_unreachable_redis_fails_the_start() -> None:
    client = QueueGrader(f"redis://127.0.0.1:{free_port()}/0", "q", max_depth=1, expiry_s=1)
    with pytest.raises(QueueUnavailable, match="cannot reach Redis"):
        await client.start()
    assert not await client.reachable()
