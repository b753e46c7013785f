"""Building and running the bot: `create_bot` for tests and embedding, `run_bot` for the CLI."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable
from datetime import datetime

import discord
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.client import CodestreakBot
from bot.cooldown import Cooldown
from bot.services import Services
from core.db import create_engine, create_sessionmaker, describe_url
from core.grading import Grader, sandbox_pool
from core.models import utcnow
from core.settings import Settings
from core.submissions.service import SubmissionService
from sandbox import SandboxError

logger = logging.getLogger(__name__)

NO_TOKEN = 2
SANDBOX_DOWN = 1


def create_bot(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    grader: Grader,
    *,
    clock: Callable[[], datetime] = utcnow,
    guild_ready_timeout: float = 2.0,
    submissions: SubmissionService | None = None,
) -> CodestreakBot:
    """A bot on these sessions and grader; start it with `await bot.start(token)`.

    `submissions` shares one submission service with the rest of the process (so a shutdown
    can drain every submission in flight); by default the bot gets its own.
    """
    services = Services(
        settings=settings,
        sessions=sessions,
        grader=grader,
        submissions=submissions
        or SubmissionService(sessions, grader, max_code_bytes=settings.max_code_bytes, clock=clock),
        cooldown=Cooldown(settings.submission_cooldown_s),
        clock=clock,
    )
    return CodestreakBot(services, guild_ready_timeout=guild_ready_timeout)


def run_bot(settings: Settings) -> int:
    """Run the bot until SIGTERM or SIGINT; the exit code says how it ended.

    0 after a stop on a signal (submissions in flight finish first, every sandbox container is
    removed), 2 without DISCORD_TOKEN or when Discord refuses it, 1 when the sandbox cannot start.
    """
    if settings.discord_token is None or not settings.discord_token.get_secret_value():
        print("DISCORD_TOKEN is not set; put the bot's token in .env.", file=sys.stderr)
        return NO_TOKEN
    try:
        return asyncio.run(_serve(settings, settings.discord_token.get_secret_value()))
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers were installed
        return 0


async def _serve(settings: Settings, token: str) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    engine = create_engine(settings.database_url, echo=settings.database_echo)
    pool = sandbox_pool(settings)
    try:
        try:
            await pool.start()
        except SandboxError as error:
            print(f"The grading sandbox cannot start: {error}", file=sys.stderr)
            return SANDBOX_DOWN
        logger.info("database %s", describe_url(settings.database_url))
        bot = create_bot(settings, create_sessionmaker(engine), pool)
        async with bot:
            try:
                await _run_until(stop, bot, token, settings.shutdown_grace_s)
            except discord.LoginFailure:
                print("Discord refused DISCORD_TOKEN; check the token.", file=sys.stderr)
                return NO_TOKEN
        return 0
    finally:
        await pool.close()
        await engine.dispose()
        logger.info("stopped")


async def _run_until(stop: asyncio.Event, bot: CodestreakBot, token: str, grace_s: float) -> None:
    """Run `bot` until `stop` is set, then let submissions in flight finish and disconnect."""
    runner = asyncio.create_task(bot.start(token), name="discord-bot")
    stopping = asyncio.create_task(stop.wait(), name="stop-signal")
    try:
        await asyncio.wait({runner, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if runner.done():
        runner.result()  # the bot stopped by itself: raise what stopped it
        return
    logger.info("stopping: finishing submissions in flight (up to %gs)", grace_s)
    await bot.services.submissions.drain(grace_s)
    await bot.close()
    with contextlib.suppress(Exception, asyncio.CancelledError):
        await runner
