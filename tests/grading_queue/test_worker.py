"""Graders that die or are stopped mid-grade: the job is finished exactly once, by another
grader after a SIGKILL, by the same one on a SIGTERM (which then takes nothing new)."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from arq.constants import result_key_prefix
from redis import Redis

from grading_queue.client import QueueGrader
from grading_queue.fleet import GraderProcess
from grading_queue.worker import LEASE_S
from sandbox import RunLimits, TestCase, Verdict
from tests.support.sandbox import ADD_CASES, ADD_CODE

pytestmark = [pytest.mark.docker, pytest.mark.asyncio]

SLEEPER = "import time\ntime.sleep(3)\nprint(input())\n"
SLEEPER_CASES = [TestCase(input="finished\n", expected="finished\n")]
SLEEPER_LIMITS = RunLimits(time_s=5)


@pytest_asyncio.fixture
async def client(redis_url: str, redis_queue_name: str) -> AsyncIterator[QueueGrader]:
    """The queue's client on the test's queue."""
    grader = QueueGrader(redis_url, redis_queue_name, max_depth=10, expiry_s=120)
    await grader.start()
    yield grader
    await grader.close()


async def _holder(running: list[GraderProcess], job_id: str) -> GraderProcess:
    """The grader that took `job_id`, once one has."""
    for _ in range(400):
        taken = [grader for grader in running if grader.took(job_id)]
        if taken:
            return taken[0]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no grader took {job_id}")


async def test_a_killed_graders_job_is_finished_by_another(
    client: QueueGrader, two_graders: list[GraderProcess], redis_url: str
) -> None:
    grading = asyncio.create_task(
        client.grade(SLEEPER, SLEEPER_CASES, limits=SLEEPER_LIMITS, job_id="submission-1")
    )
    holder = await _holder(two_graders, "submission-1")
    await asyncio.sleep(0.5)  # mid-grade: the program sleeps for 3 s
    holder.signal(signal.SIGKILL)
    killed_at = time.monotonic()
    result = await asyncio.wait_for(grading, LEASE_S + 30)
    assert result.verdict is Verdict.ACCEPTED
    assert time.monotonic() - killed_at < LEASE_S + 10  # taken up once the lease lapsed
    (other,) = [grader for grader in two_graders if grader is not holder]
    assert other.output().count("→ submission-1:") == 1
    assert "try=2" in other.output()
    assert "← submission-1:" not in holder.output()
    assert await client.depth() == 0
    with Redis.from_url(redis_url) as redis:
        assert redis.exists(result_key_prefix + "submission-1") == 1


async def test_sigterm_drains_the_running_job_and_takes_no_new_one(
    client: QueueGrader, one_grader: GraderProcess
) -> None:
    running = asyncio.create_task(
        client.grade(SLEEPER, SLEEPER_CASES, limits=SLEEPER_LIMITS, job_id="submission-2")
    )
    await _holder([one_grader], "submission-2")
    one_grader.signal(signal.SIGTERM)
    await asyncio.sleep(0.5)
    later = asyncio.create_task(client.grade(ADD_CODE, ADD_CASES, job_id="submission-3"))
    try:
        result = await asyncio.wait_for(running, 30)
        assert result.verdict is Verdict.ACCEPTED
        assert await asyncio.to_thread(one_grader.wait, 30) == 0
        assert not one_grader.took("submission-3")
        assert not later.done()
        assert await client.depth() == 1  # left for another grader
    finally:
        later.cancel()
        await asyncio.gather(later, return_exceptions=True)
