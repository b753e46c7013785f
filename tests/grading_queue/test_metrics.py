"""The queue's metrics: its depth as the enqueuing process sees it, and how long jobs wait."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

import pytest

from grading_queue.client import QueueGrader
from grading_queue.metrics import observe_wait
from sandbox import SandboxBusy, TestCase
from tests.support.metrics import exposition, sample

CASES = [TestCase(input="1\n", expected="1\n")]
WAITS = "codestreak_queue_wait_seconds"


async def _queued(grader: QueueGrader) -> None:
    """Until the first job is in the queue (no grader runs, so it stays there)."""
    for _ in range(500):
        if await grader.depth() >= 1:
            return
        await asyncio.sleep(0.01)
    pytest.fail("the job never reached the queue")


async def test_the_depth_is_what_the_last_enqueue_saw(
    redis_url: str, redis_queue_name: str
) -> None:
    grader = QueueGrader(redis_url, redis_queue_name, max_depth=1, expiry_s=30)
    await grader.start()
    waiting = asyncio.create_task(grader.grade("print(1)", CASES, job_id="first"))
    try:
        await _queued(grader)
        assert sample(exposition(), "codestreak_queue_depth") == 0  # empty when it was queued
        with pytest.raises(SandboxBusy):
            await grader.grade("print(1)", CASES, job_id="second")
        assert sample(exposition(), "codestreak_queue_depth") == 1
    finally:
        waiting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiting
        await grader.close()


def test_a_wait_is_observed_in_seconds_and_never_negative() -> None:
    taken = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
    before = exposition()

    observe_wait(taken - timedelta(milliseconds=250), taken)
    observe_wait(taken + timedelta(seconds=3), taken)  # the enqueuing host's clock runs ahead

    after = exposition()
    assert sample(after, f"{WAITS}_count") == sample(before, f"{WAITS}_count") + 2
    assert sample(after, f"{WAITS}_sum") == pytest.approx(sample(before, f"{WAITS}_sum") + 0.25)
    zero_bucket = sample(after, f"{WAITS}_bucket", le="0.005") - sample(
        before, f"{WAITS}_bucket", le="0.005"
    )
    assert zero_bucket == 1
