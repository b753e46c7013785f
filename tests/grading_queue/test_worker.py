"""Graders that die, are stopped or lose their engine mid-grade: the job is finished exactly
once, by another grader after a SIGKILL or a lost engine, by the same one on a SIGTERM (which
then takes nothing new)."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from arq.constants import result_key_prefix
from redis import Redis

from grading_queue.client import QueueGrader
from grading_queue.fleet import GraderProcess
from grading_queue.worker import LEASE_S
from sandbox import RunLimits, SandboxConfig, TestCase, Verdict
from sandbox.container import POOL_LABEL
from sandbox.pool import connect
from tests.support.docker_proxy import DockerProxy, docker_proxy
from tests.support.graders import graders
from tests.support.sandbox import ADD_CASES, ADD_CODE, FAST

pytestmark = [pytest.mark.docker, pytest.mark.asyncio]

SLEEPER = "import time\ntime.sleep(3)\nprint(input())\n"
SLEEPER_CASES = [TestCase(input="finished\n", expected="finished\n")]
SLEEPER_LIMITS = RunLimits(time_s=5)
#: jobs whose own failures are verdicts, whatever happens to a grader's engine meanwhile
OWN_VERDICTS = {
    "accepted": (ADD_CODE, Verdict.ACCEPTED),
    "wrong": ("a, b = map(int, input().split())\nprint(a - b)\n", Verdict.WRONG_ANSWER),
    "crash": ("raise ValueError('no')\n", Verdict.RUNTIME_ERROR),
    "invalid": ("print(\n", Verdict.SYNTAX_ERROR),
    "time-out": ("while True:\n    pass\n", Verdict.TIME_LIMIT),
}


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


@pytest.fixture
def behind_a_proxy(
    sandbox_image: str, redis_url: str, redis_queue_name: str, tmp_path: Path
) -> Iterator[tuple[DockerProxy, GraderProcess, GraderProcess]]:
    """A grader reaching the engine through a proxy the test may cut, and a healthy one."""
    with (
        docker_proxy() as proxy,
        graders(
            tmp_path, 1, redis_url, redis_queue_name, sandbox_image, SANDBOX_DOCKER_URL=proxy.url
        ) as (cut,),
        graders(tmp_path, 1, redis_url, redis_queue_name, sandbox_image) as (healthy,),
    ):
        yield proxy, cut, healthy


async def _pool_ready(pool_name: str, count: int) -> None:
    """Wait until `count` containers of the pool `pool_name` run (started, so soon ready)."""
    docker = await connect(SandboxConfig())
    try:
        running = json.dumps({"label": [f"{POOL_LABEL}={pool_name}"], "status": ["running"]})
        for _ in range(300):
            if len(await docker.containers.list(filters=running)) >= count:
                await asyncio.sleep(0.5)  # their loaders announce themselves
                return
            await asyncio.sleep(0.1)
    finally:
        await docker.close()
    raise AssertionError(f"the pool {pool_name} did not fill")


async def test_a_grader_losing_its_engine_hands_its_jobs_back_and_exits(
    client: QueueGrader, behind_a_proxy: tuple[DockerProxy, GraderProcess, GraderProcess]
) -> None:
    proxy, cut, healthy = behind_a_proxy
    await _pool_ready(cut.name, 2)
    await asyncio.to_thread(proxy.cut)
    jobs = {f"{name}-{n}": program for name, program in OWN_VERDICTS.items() for n in range(2)}
    results = await asyncio.wait_for(
        asyncio.gather(
            *(
                client.grade(code, ADD_CASES, limits=FAST, job_id=job_id)
                for job_id, (code, _) in jobs.items()
            )
        ),
        60,
    )
    assert {job_id: result.verdict for job_id, result in zip(jobs, results, strict=True)} == {
        job_id: verdict for job_id, (_, verdict) in jobs.items()
    }
    handed_back = [job_id for job_id in jobs if cut.took(job_id)]
    assert handed_back, "the cut grader took no job: nothing was tested"
    assert await asyncio.to_thread(cut.wait, 30) == 1
    assert "The grader cannot go on: lost its Docker engine" in cut.output()
    assert "went back to the queue" in cut.output()
    assert "Traceback" not in cut.output()
    for job_id in jobs:
        assert f"← {job_id}:" not in cut.output()
        assert healthy.output().count(f"← {job_id}:") == 1
    assert "try=2" not in healthy.output()  # a handed-back run is not counted against the job
    assert await client.depth() == 0
