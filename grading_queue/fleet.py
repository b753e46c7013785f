"""Grader processes started on this machine, as the benchmark and the tests run them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

#: what a grader logs once it takes jobs (arq's start line)
STARTED_MARK = "Starting worker"
START_TIMEOUT_S = 60.0
#: environment variables a grader never gets: the site's and the bot's secrets
WITHHELD = ("SECRET_KEY", "SECRET_KEY_FILE", "DISCORD_TOKEN")


class GraderDidNotStart(RuntimeError):
    """A grader process ended or stayed silent instead of starting; the message has its output."""


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

    def holding(self) -> set[str]:
        """The jobs this grader started and has not finished (by its log)."""
        started = set(re.findall(r"→ ([^\s:]+):", self.output()))
        return started - set(re.findall(r"← ([^\s:]+):", self.output()))

    def signal(self, number: signal.Signals) -> None:
        """Send `number` to the grader."""
        self.process.send_signal(number)

    def wait(self, timeout_s: float) -> int:
        """The grader's exit status once it ended (TimeoutExpired after `timeout_s`)."""
        return self.process.wait(timeout_s)

    def stop(self, timeout_s: float = 30.0) -> None:
        """SIGTERM (it drains), then SIGKILL if it has not ended within `timeout_s`."""
        if self.process.poll() is not None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.wait(timeout_s)


def start_grader(
    command: Sequence[str], folder: Path, name: str, environment: Mapping[str, str]
) -> GraderProcess:
    """Run `command` (a `codestreak grader`) with `environment` over this process's (minus the
    secrets, and logging at INFO), its output in `folder`/`name`.log; return once it takes jobs.

    Raises GraderDidNotStart with its output when it ends or stays silent instead.
    """
    env = {key: value for key, value in os.environ.items() if key not in WITHHELD}
    env.update(environment)
    env["LOG_LEVEL"] = "INFO"
    log = folder / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(list(command), cwd=folder, env=env, stdout=out, stderr=out)
    grader = GraderProcess(name, process, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while STARTED_MARK not in grader.output():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise GraderDidNotStart(f"grader {name} did not start:\n{grader.output()}")
        time.sleep(0.05)
    return grader
