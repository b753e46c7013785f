"""Building and running the bot: `create_bot` for tests and embedding, `run_bot` for the CLI."""

from __future__ import annotations

import asyncio
import logging
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
    """Run the bot until it is stopped; the exit code says how it ended.

    2 without DISCORD_TOKEN or when Discord refuses it, 1 when the sandbox cannot start.
    """
    if settings.discord_token is None or not settings.discord_token.get_secret_value():
        print("DISCORD_TOKEN is not set; put the bot's token in .env.", file=sys.stderr)
        return NO_TOKEN
    try:
        return asyncio.run(_serve(settings, settings.discord_token.get_secret_value()))
    except KeyboardInterrupt:
        return 0


async def _serve(settings: Settings, token: str) -> int:
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
                await bot.start(token)
            except discord.LoginFailure:
                print("Discord refused DISCORD_TOKEN; check the token.", file=sys.stderr)
                return NO_TOKEN
        return 0
    finally:
        await pool.close()
        await engine.dispose()
