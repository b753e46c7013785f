"""`codestreak run`: the website, the sandbox pool and the bot in one process, on one loop.

The embedded default: SQLite, the process's own sandbox pool, no broker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import typer
from fastapi import FastAPI

from api.app import create_app
from bot.app import create_bot
from bot.client import CodestreakBot
from cli.composition import ExitCode, GradingParts, StartupFailed, grading_process
from cli.serving import (
    Host,
    Port,
    refuse_weak_secret_on_network,
    serve_until_signalled,
    site_server,
)
from core.settings import Settings, get_settings

logger = logging.getLogger(__name__)


def run(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Serve the website, keep the sandbox ready and, with DISCORD_TOKEN, run the bot.

    Applies pending migrations and loads the content first. SIGTERM or SIGINT stops taking
    submissions, lets those in flight finish, removes every sandbox container and exits.
    """
    settings = get_settings()
    refuse_weak_secret_on_network(settings, host)
    raise typer.Exit(asyncio.run(serve(settings, host, port)))


async def serve(settings: Settings, host: str, port: int) -> ExitCode:
    """Run everything until a signal asks to stop; return the exit code."""
    try:
        async with grading_process(settings) as parts:
            return await _serve_until_stopped(parts, host, port)
    except StartupFailed as failure:
        return failure.report()


def site_and_bot(parts: GradingParts) -> tuple[FastAPI, CodestreakBot | None]:
    """The website and, with DISCORD_TOKEN, the bot, on the process's one database, grader and
    submission service (so that stopping drains the submissions of both)."""
    settings = parts.settings
    bot: CodestreakBot | None = None
    if settings.bot_token:
        bot = create_bot(
            settings, parts.database.sessions, parts.grader, submissions=parts.submissions
        )
    else:
        typer.echo(
            "No DISCORD_TOKEN: serving the website only. Put the bot's token in .env as "
            "DISCORD_TOKEN=... and restart to run the bot too."
        )
    app = create_app(
        settings,
        database=parts.database,
        pool=parts.pool,
        grader=parts.grader,
        broker=parts.broker,
        bot_connected=bot.is_ready if bot else None,
        submissions=parts.submissions,
    )
    return app, bot


async def _serve_until_stopped(parts: GradingParts, host: str, port: int) -> ExitCode:
    settings = parts.settings
    app, bot = site_and_bot(parts)
    server = site_server(app, settings, host, port)
    exit_code = ExitCode.STOPPED
    bot_task: asyncio.Task[None] | None = None
    if bot is not None:
        bot_task = asyncio.create_task(bot.start(settings.bot_token), name="discord-bot")

        def bot_stopped(task: asyncio.Task[None]) -> None:
            nonlocal exit_code
            if task.cancelled() or task.exception() is None:
                return
            logger.error("the bot stopped: %s", task.exception())
            exit_code = ExitCode.DISCORD_REFUSED
            server.should_exit = True

        bot_task.add_done_callback(bot_stopped)
    await serve_until_signalled(server)
    logger.info("stopping: finishing submissions in flight (up to %gs)", settings.shutdown_grace_s)
    await parts.submissions.drain(settings.shutdown_grace_s)
    if bot is not None and bot_task is not None:
        await bot.close()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await bot_task
    return exit_code
