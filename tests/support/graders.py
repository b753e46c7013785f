"""`codestreak grader` processes for tests: started as an operator would, on the test Redis and
the test sandbox image, with neither a database nor the site's secrets."""

from __future__ import annotations

import os
import uuid
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sandbox import SandboxConfig
from sandbox.container import POOL_LABEL
from sandbox.pool import connect, remove_labelled
from tests.support.cli_runner import CODESTREAK
from tests.support.databases import run_in_own_loop

STARTED_MARK = "Starting worker"
START_TIMEOUT_S = 60.0
#: the environment of every grader: a database it must never open, no secrets, production
GRADER_ENVIRONMENT = {
    "ENVIRONMENT": "production",
    "DATABASE_URL": "mysql+aiomysql://nobody:wrong@127.0.0.1:1/none",
    "LOG_LEVEL": "INFO",
    "SANDBOX_POOL_SIZE": "2",
    "SANDBOX_MAX_CONCURRENT": "2",
    "SANDBOX_MAX_TIME_S": "5",
}
WITHHELD = ("SECRET_KEY", "SECRET_KEY_FILE", "DISCORD_TOKEN")


@dataclass
class GraderProcess:
    """One running `codestreak grader` and the file its output goes to."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        """Everything the grader printed so far."""
        return self.log.read_text(errors="replace")

    def took(self, job_id: str) -> bool:
        """Whether this grader started the job `job_id` (arq logs each start)."""
        return f"→ {job_id}:" in self.output()

    def signal(self, number: signal.Signals) -> None:
        """Send `number` to the grader."""
        self.process.send_signal(number)

    def wait(self, timeout_s: float) -> int:
        """The grader's exit status once it ended (TimeoutExpired after `timeout_s`)."""
        return self.process.wait(timeout_s)


def start_grader(
    folder: Path, name: str, redis_url: str, queue_name: str, image: str, **extra: str
) -> GraderProcess:
    """Start `codestreak grader` named `name` (its pool name) and wait until it takes jobs."""
    environment = {key: value for key, value in os.environ.items() if key not in WITHHELD}
    environment.update(GRADER_ENVIRONMENT)
    environment.update(
        REDIS_URL=redis_url, QUEUE_NAME=queue_name, SANDBOX_IMAGE=image, SANDBOX_POOL_NAME=name
    )
    environment.update(extra)
    log = folder / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [CODESTREAK, "grader"], cwd=folder, env=environment, stdout=out, stderr=out
        )
    grader = GraderProcess(name, process, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while STARTED_MARK not in grader.output():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"grader {name} did not start:\n{grader.output()}")
        time.sleep(0.05)
    return grader


def stop(grader: GraderProcess) -> None:
    """Stop the grader if it still runs (SIGTERM, then SIGKILL) and remove its containers."""
    if grader.process.poll() is None:
        grader.signal(signal.SIGTERM)
        try:
            grader.wait(30)
        except subprocess.TimeoutExpired:
            grader.process.kill()
            grader.wait(10)
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
    """`count` graders on one queue, stopped (and their containers removed) afterwards."""
    started: list[GraderProcess] = []
    run = uuid.uuid4().hex[:6]
    try:
        for number in range(count):
            name = f"test-grader-{os.getpid()}-{run}-{number}"
            started.append(start_grader(folder, name, redis_url, queue_name, image, **extra))
        yield started
    finally:
        for grader in started:
            stop(grader)
