"""`codestreak grader` processes for tests: started as an operator would, on the test Redis and
the test sandbox image, with neither a database nor the site's secrets."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grading_queue.fleet import GraderProcess, start_grader
from sandbox import SandboxConfig
from sandbox.container import POOL_LABEL
from sandbox.pool import connect, remove_labelled
from tests.support.cli_runner import CODESTREAK
from tests.support.databases import run_in_own_loop

#: the environment of every grader: a database it must never open, production, small pools
GRADER_ENVIRONMENT = {
    "ENVIRONMENT": "production",
    "DATABASE_URL": "mysql+aiomysql://nobody:wrong@127.0.0.1:1/none",
    "SANDBOX_POOL_SIZE": "2",
    "SANDBOX_MAX_CONCURRENT": "2",
    "SANDBOX_MAX_TIME_S": "5",
}


def stop(grader: GraderProcess) -> None:
    """Stop the grader if it still runs and remove its containers (a killed one leaves some)."""
    grader.stop()
    run_in_own_loop(_remove_containers(grader.name))


async def _remove_containers(pool_name: str) -> None:
    docker = await connect(SandboxConfig())
    try:
        await remove_labelled(docker, f"{POOL_LABEL}={pool_name}")
    finally:
        await docker.close()


@contextmanager
def graders(
    folder: Path, count: int, redis_url: str, queue_name: str, image: str, **extra: str
) -> Iterator[list[GraderProcess]]:
    """`count` graders on one queue (`extra`: more environment variables), stopped (and their
    containers removed) afterwards."""
    started: list[GraderProcess] = []
    run = uuid.uuid4().hex[:6]
    environment = {
        **GRADER_ENVIRONMENT,
        "REDIS_URL": redis_url,
        "QUEUE_NAME": queue_name,
        "SANDBOX_IMAGE": image,
        **extra,
    }
    try:
        for number in range(count):
            name = f"test-grader-{os.getpid()}-{run}-{number}"
            started.append(
                start_grader(
                    [CODESTREAK, "grader"],
                    folder,
                    name,
                    {**environment, "SANDBOX_POOL_NAME": name},
                )
            )
        yield started
    finally:
        for grader in started:
            stop(grader)
