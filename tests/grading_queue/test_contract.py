"""The grader contract through the queue served by two `codestreak grader` processes: the
in-process pool's own grading tests (tests/sandbox/test_grading.py) run here against the queue,
plus what only a queue does (sharing work, one grading per job id, JSON only)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from arq.connections import ArqRedis
from arq.constants import result_key_prefix

from grading_queue import client as client_module
from grading_queue.client import QueueGrader
from grading_queue.connection import connect, disconnect
from grading_queue.fleet import GraderProcess
from grading_queue.wire import GRADE_FUNCTION, loads
from sandbox import InvalidSubmission, RunLimits, SandboxError, TestCase, Verdict
from tests.sandbox.test_grading import (  # noqa: F401 (collected here, against the queue)
    test_accepted,
    test_compare_modes,
    test_large_input_and_output,
    test_limits_above_the_container_are_lowered,
    test_null_byte_in_source_is_a_syntax_error,
    test_output_of_a_finishing_thread_is_kept,
    test_runtime_error_traceback_without_loader_frames,
    test_syntax_error,
    test_visible_tests_run_before_hidden_ones,
    test_wrong_answer_keeps_going_and_marks_hidden,
)
from tests.support.graders import graders
from tests.support.redis import isolated_database, unique_name
from tests.support.sandbox import ADD_CASES, ADD_CODE

pytestmark = [pytest.mark.docker, pytest.mark.redis, pytest.mark.asyncio(loop_scope="module")]

NAPPER = "import time\ntime.sleep(0.4)\nprint(input())\n"
NAP_CASES = [TestCase(input="awake\n", expected="awake\n")]


@pytest.fixture(scope="module")
def served(
    sandbox_image: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, list[GraderProcess]]]:
    """A Redis database and queue of this module's own, served by two graders."""
    with isolated_database() as url:
        queue = unique_name()
        folder = tmp_path_factory.mktemp("graders")
        with graders(Path(folder), 2, url, queue, sandbox_image) as running:
            yield url, queue, running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def pool(served: tuple[str, str, list[GraderProcess]]) -> AsyncIterator[QueueGrader]:
    """The queue's client, named as the pool the imported tests grade with; it reads each
    result when a grader announces it, never by polling."""
    url, queue, _ = served
    with pytest.MonkeyPatch.context() as patch:
        # results arrive by the graders' notices only: reading them by polling would take a minute
        patch.setattr(client_module, "FALLBACK_POLL_S", 60.0)
        client = QueueGrader(url, queue, max_depth=100, expiry_s=120)
        await client.start()
        yield client
        await client.close()


async def test_both_graders_share_the_work(
    pool: QueueGrader, served: tuple[str, str, list[GraderProcess]]
) -> None:
    ids = [f"share-{n}" for n in range(8)]
    results = await asyncio.gather(*(pool.grade(NAPPER, NAP_CASES, job_id=i) for i in ids))
    assert {result.verdict for result in results} == {Verdict.ACCEPTED}
    running = served[2]
    assert all(sum(grader.took(job) for grader in running) == 1 for job in ids)
    assert all(any(grader.took(job) for job in ids) for grader in running)


async def test_one_grading_per_job_id(
    pool: QueueGrader, served: tuple[str, str, list[GraderProcess]]
) -> None:
    first, second = await asyncio.gather(
        *(pool.grade(NAPPER, NAP_CASES, job_id="submission-42") for _ in range(2))
    )
    assert first == second
    assert first.verdict is Verdict.ACCEPTED
    logs = "".join(grader.output() for grader in served[2])
    assert logs.count("→ submission-42:") == 1
    again = await pool.grade(NAPPER, NAP_CASES, job_id="submission-42")  # a late duplicate
    assert again == first
    assert "".join(grader.output() for grader in served[2]).count("→ submission-42:") == 1


async def test_the_grader_refuses_code_beyond_its_limit(pool: QueueGrader) -> None:
    with pytest.raises(InvalidSubmission, match="bytes; at most"):
        await pool.grade("#" * (64 * 1024 + 1), ADD_CASES, limits=RunLimits(time_s=1))


async def test_a_pickled_job_is_never_run(
    pool: QueueGrader, served: tuple[str, str, list[GraderProcess]]
) -> None:
    url, queue, running = served
    pickling = ArqRedis.from_url(url)  # arq's default serialiser: pickle
    try:
        await pickling.enqueue_job(
            GRADE_FUNCTION, {"code": ADD_CODE}, _job_id="pickled", _queue_name=queue
        )
        raw = None
        for _ in range(400):
            if (raw := await pickling.get(result_key_prefix + "pickled")) is not None:
                break
            await asyncio.sleep(0.05)
    finally:
        await pickling.aclose()
    assert raw is not None, "no grader answered the pickled job"
    record = loads(raw)  # the grader answers in JSON too
    assert record["s"] is False
    assert "DeserializationError" in record["r"]
    assert not any(grader.took("pickled") for grader in running)
    assert (await pool.grade(ADD_CODE, ADD_CASES)).verdict is Verdict.ACCEPTED


async def test_a_malformed_job_is_answered_as_not_graded(
    pool: QueueGrader, served: tuple[str, str, list[GraderProcess]]
) -> None:
    url, queue, _ = served
    redis = connect(url, queue)  # JSON, as every client writes, but not a grading job
    try:
        await redis.enqueue_job(GRADE_FUNCTION, {"code": 1}, _job_id="malformed")
    finally:
        await disconnect(redis)
    with pytest.raises(SandboxError, match="unreadable job: malformed grading job"):
        await pool.grade(ADD_CODE, ADD_CASES, job_id="malformed")  # waits for that job


async def test_a_result_comes_back_at_once(pool: QueueGrader) -> None:
    started = time.monotonic()
    for _ in range(5):
        assert (await pool.grade(ADD_CODE, ADD_CASES)).verdict is Verdict.ACCEPTED
    assert time.monotonic() - started < 10  # not 5 polls of a minute


async def test_the_queue_is_empty_afterwards(pool: QueueGrader) -> None:
    assert await pool.depth() == 0
    assert await pool.reachable()
