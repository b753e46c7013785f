"""`codestreak run`: the website, the sandbox pool and the bot in one process, on one loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Annotated

import typer

from api.app import create_app
from bot.app import create_bot
from bot.client import CodestreakBot
from cli.serving import refuse_weak_secret_on_network, site_server
from core import migrations
from core.content.files import read_content
from core.content.loader import ContentError, load_content
from core.db import create_engine, create_sessionmaker, describe_url, session_scope
from core.grading import sandbox_pool
from core.settings import Settings, get_settings
from core.submissions.ledger import fail_interrupted
from core.submissions.service import SubmissionService
from sandbox import SandboxError, SandboxPool

logger = logging.getLogger(__name__)

Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)]

STARTUP_FAILED = 1
BOT_REFUSED = 2


def run(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Serve the website, keep the sandbox ready and, with DISCORD_TOKEN, run the bot.

    Applies pending migrations and loads the content first. SIGTERM or SIGINT stops taking
    submissions, lets those in flight finish, removes every sandbox container and exits.
    """
    settings = get_settings()
    refuse_weak_secret_on_network(settings, host)
    raise typer.Exit(asyncio.run(serve(settings, host, port)))


async def serve(settings: Settings, host: str, port: int) -> int:
    """Run everything until a signal asks to stop; return the exit code."""
    try:
        await migrations.upgrade_async(settings.database_url)
    except Exception as exc:  # any driver error: say what and where, not a traceback
        typer.secho(f"Cannot migrate {describe_url(settings.database_url)}: {exc}", err=True)
        return STARTUP_FAILED
    engine = create_engine(settings.database_url, echo=settings.database_echo)
    sessions = create_sessionmaker(engine)
    pool = sandbox_pool(settings)
    try:
        await pool.start()
    except SandboxError as exc:
        typer.secho(f"The grading sandbox cannot start: {exc}", fg="red", err=True)
        await engine.dispose()
        return STARTUP_FAILED
    submissions = SubmissionService(sessions, pool, max_code_bytes=settings.max_code_bytes)
    try:
        async with session_scope(sessions) as session:
            interrupted = await fail_interrupted(session)
            if interrupted:
                logger.warning(
                    "%d submission(s) were grading when the last process stopped; marked as "
                    "sandbox errors: %s",
                    len(interrupted),
                    ", ".join(str(s.id) for s in interrupted),
                )
            # Content files are proved in the sandbox by `content check --sandbox` (and the test
            # suite); tasks added by moderators are proved when they are added.
            report = await load_content(session, read_content(settings.content_dir))
        logger.info(
            "content: %d task(s) created, %d updated, %d unchanged",
            len(report.tasks.created),
            len(report.tasks.updated),
            report.tasks.unchanged,
        )
        return await _serve_until_stopped(settings, host, port, pool, submissions)
    except ContentError as exc:
        for problem in exc.problems:
            typer.secho(problem, fg="red", err=True)
        typer.secho("The content has problems; nothing was loaded.", fg="red", err=True)
        return STARTUP_FAILED
    finally:
        await pool.close()
        await engine.dispose()
        logger.info("stopped")


async def _serve_until_stopped(
    settings: Settings,
    host: str,
    port: int,
    pool: SandboxPool,
    submissions: SubmissionService,
) -> int:
    token = settings.discord_token.get_secret_value() if settings.discord_token else ""
    bot: CodestreakBot | None = None
    if token:
        bot = create_bot(settings, submissions.sessions, pool, submissions=submissions)
    else:
        typer.echo(
            "No DISCORD_TOKEN: serving the website only. Put the bot's token in .env as "
            "DISCORD_TOKEN=... and restart to run the bot too."
        )
    app = create_app(settings, pool=pool, bot_connected=(lambda: bot.is_ready()) if bot else None)
    server = site_server(app, settings, host, port)
    exit_code = 0
    bot_task: asyncio.Task[None] | None = None
    if bot is not None:
        bot_task = asyncio.create_task(bot.start(token), name="discord-bot")

        def bot_stopped(task: asyncio.Task[None]) -> None:
            nonlocal exit_code
            if task.cancelled() or task.exception() is None:
                return
            logger.error("the bot stopped: %s", task.exception())
            exit_code = BOT_REFUSED
            server.should_exit = True

        bot_task.add_done_callback(bot_stopped)
    # uvicorn re-raises the signal it caught once it is done; stopping is already handled.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: None)
    await server.serve()
    logger.info("stopping: finishing submissions in flight (up to %gs)", settings.shutdown_grace_s)
    await submissions.drain(settings.shutdown_grace_s)
    if bot is not None and bot_task is not None:
        await bot.close()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await bot_task
    return exit_code
