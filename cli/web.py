"""`codestreak web`: serve the companion website (one of any number of replicas)."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

import typer

from api.app import create_app
from cli.composition import ExitCode, StartupFailed, migrated_database, queue_client
from cli.serving import (
    Host,
    Port,
    refuse_weak_secret_on_network,
    serve_until_signalled,
    site_server,
)
from core.settings import GradingMode, Settings, get_settings
from core.submissions.sweep import PendingSweeper, pending_max_age


def web(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Serve the website with uvicorn, after applying pending migrations.

    With MIGRATE_ON_START=false it waits for `codestreak migrate` instead. Learners'
    submissions from the task pages and the task designer grade through the queue with
    GRADING_MODE=queue (no Docker engine needed; `/readyz` checks the database and Redis), else
    in a private sandbox pool started at the first grading, named apart from the bot's. A
    periodic sweep marks submissions pending longer than anyone waits for them (their process
    was killed) as interrupted.
    """
    settings = get_settings()
    refuse_weak_secret_on_network(settings, host)
    raise typer.Exit(asyncio.run(_serve(settings, host, port)))


async def _serve(settings: Settings, host: str, port: int) -> ExitCode:
    try:
        async with AsyncExitStack() as parts:
            database = await parts.enter_async_context(migrated_database(settings))
            broker = (
                await parts.enter_async_context(queue_client(settings))
                if settings.grading_mode is GradingMode.QUEUE
                else None
            )
            app = create_app(settings, database=database, grader=broker, broker=broker)
            sweeper = PendingSweeper(database.sessions, pending_max_age(settings))
            sweeper.start()
            try:
                await serve_until_signalled(site_server(app, settings, host, port))
            finally:
                await sweeper.stop()
    except StartupFailed as failure:
        return failure.report()
    return ExitCode.STOPPED
