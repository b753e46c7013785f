"""A `codestreak grader` process serves its metrics on METRICS_PORT: its ready containers and
how long the jobs it took had waited."""

from __future__ import annotations

import socket
import time
import urllib.request
from pathlib import Path

from grading_queue.client import QueueGrader
from sandbox import Verdict
from tests.support.graders import graders
from tests.support.metrics import sample
from tests.support.sandbox import ADD_CASES, ADD_CODE

SCRAPE_TIMEOUT_S = 30.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        return str(answer.read().decode())


def _eventually(port: int, name: str, value: float) -> str:
    """The exposition once its sample `name` is `value` (failing after a while)."""
    deadline = time.monotonic() + SCRAPE_TIMEOUT_S
    while (text := _scrape(port)) and sample(text, name) != value:
        assert time.monotonic() < deadline, f"{name} never became {value}:\n{text}"
        time.sleep(0.1)
    return text


async def test_a_grader_serves_its_pool_and_queue_metrics(
    tmp_path: Path, redis_url: str, redis_queue_name: str, sandbox_image: str
) -> None:
    port = _free_port()
    with graders(tmp_path, 1, redis_url, redis_queue_name, sandbox_image, METRICS_PORT=str(port)):
        text = _eventually(port, "codestreak_sandbox_ready_containers", 2)
        assert sample(text, "codestreak_queue_wait_seconds_count") == 0

        client = QueueGrader(redis_url, redis_queue_name, max_depth=10, expiry_s=60)
        await client.start()
        try:
            result = await client.grade(ADD_CODE, ADD_CASES, job_id="metrics-job")
        finally:
            await client.close()

        assert result.verdict is Verdict.ACCEPTED
        _eventually(port, "codestreak_queue_wait_seconds_count", 1)
