"""`codestreak grader`: grade submissions from the Redis queue with this host's Docker engine.

A grader holds Redis credentials and its local engine only: it never opens the database and
needs neither DISCORD_TOKEN nor SECRET_KEY (production without SECRET_KEY is fine here).
"""

from __future__ import annotations

import asyncio
import re
import socket
from typing import Annotated, NoReturn

import typer
from pydantic import model_validator

from cli.composition import ExitCode, StartupFailed
from cli.metrics import metrics_served
from core.grading import sandbox_config
from core.settings import Settings
from sandbox import SandboxConfig, SandboxError

#: the exit status of a grader started without the settings it needs
MISCONFIGURED = 2
POOL_NAME_LENGTH = 40


class GraderSettings(Settings):
    """The settings as a grader reads them: without the site's secret key, which it never
    uses (so none is required, and no key file is made)."""

    @model_validator(mode="after")
    def _settle_secret_key(self) -> GraderSettings:
        return self


def host_pool_name(hostname: str | None = None) -> str:
    """A pool name unique to this host: `grader-` and the host name, in the allowed letters.

    A grader restarted on the same host removes its predecessor's containers by this name.
    """
    host = re.sub(r"[^a-zA-Z0-9_.-]", "-", hostname or socket.gethostname())
    return f"grader-{host}"[:POOL_NAME_LENGTH]


def grader_sandbox(settings: Settings) -> SandboxConfig:
    """The sandbox of a grader: the configured one, named after this host unless
    SANDBOX_POOL_NAME was set."""
    config = sandbox_config(settings)
    if "sandbox_pool_name" in settings.model_fields_set:
        return config
    return config.model_copy(update={"pool_name": host_pool_name()})


def grader(
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, max=256, help="Jobs graded at once (default: SANDBOX_MAX_CONCURRENT)."),
    ] = None,
) -> None:
    """Grade jobs from the queue at REDIS_URL until SIGTERM or SIGINT (one grader per Docker
    host).

    A signal stops taking jobs, lets the running ones finish (within SHUTDOWN_GRACE_S; later
    ones go back to the queue), removes the sandbox containers and exits 0. Exits 1 when Redis
    or the Docker engine cannot be reached or either is lost (start it again then; jobs held on
    a lost engine go back to the queue at once), 2 without REDIS_URL or with an invalid setting.
    """
    from grading_queue.worker import GraderOptions, GraderUnavailable, run_grader

    settings = GraderSettings()  # validated already by the command's callback
    if settings.redis_url is None:
        _fail(
            "REDIS_URL is not set; a grader takes its jobs from Redis, e.g. "
            "redis://:password@redis:6379/0",
            MISCONFIGURED,
        )
    sandbox = grader_sandbox(settings)
    options = GraderOptions(
        redis_url=settings.redis_url.get_secret_value(),
        queue_name=settings.queue_name,
        sandbox=sandbox,
        concurrency=concurrency or sandbox.max_concurrent,
        keep_result_s=settings.queue_job_expiry_s,
        drain_s=settings.shutdown_grace_s,
    )
    try:
        with metrics_served(settings):
            asyncio.run(run_grader(options))
    except StartupFailed as failure:
        raise typer.Exit(failure.report()) from failure
    except GraderUnavailable as error:
        _fail(f"The grader cannot go on: {error}", ExitCode.STARTUP_FAILED)
    except SandboxError as error:
        _fail(f"The grader's sandbox cannot start: {error}", ExitCode.STARTUP_FAILED)
    except KeyboardInterrupt:  # before the worker's signal handlers were installed
        pass
    raise typer.Exit(ExitCode.STOPPED)


def _fail(message: str, code: int) -> NoReturn:
    typer.secho(message, fg="red", err=True)
    raise typer.Exit(code)
