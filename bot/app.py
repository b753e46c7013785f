"""Building and running the bot: `create_bot` on the process's parts, `run_until` to serve."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.client import CodestreakBot
from bot.command_mentions import CommandMentions
from bot.services import REPORT_EVERY_S, Services
from core.cooldown import SUBMISSION_SCOPE, Cooldown
from core.counters import Counters
from core.grading import Grader
from core.models import utcnow
from core.settings import Settings
from core.submissions.service import SubmissionService

logger = logging.getLogger(__name__)


def create_bot(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    grader: Grader,
    *,
    clock: Callable[[], datetime] = utcnow,
    guild_ready_timeout: float = 2.0,
    submissions: SubmissionService | None = None,
    force_sync: bool = False,
) -> CodestreakBot:
    """A bot on these sessions and grader; start it with `await bot.start(token)`.

    `submissions` shares one submission service with the rest of the process (so a shutdown
    can drain every submission in flight); by default the bot gets its own. `force_sync` syncs
    every command at login, changed or not.
    """
    counters = Counters(settings.limits_storage_uri)
    services = Services(
        settings=settings,
        sessions=sessions,
        grader=grader,
        submissions=submissions
        or SubmissionService(sessions, grader, max_code_bytes=settings.max_code_bytes, clock=clock),
        counters=counters,
        cooldown=Cooldown(counters, SUBMISSION_SCOPE, settings.submission_cooldown_s),
        reports=Cooldown(counters, "moderator-report", REPORT_EVERY_S),
        clock=clock,
        mentions=CommandMentions(sessions),
    )
    return CodestreakBot(services, guild_ready_timeout=guild_ready_timeout, force_sync=force_sync)


async def run_until(stop: asyncio.Event, bot: CodestreakBot, token: str, grace_s: float) -> None:
    """Run `bot` until `stop` is set, then let submissions in flight finish and disconnect.

    Raises what stopped the bot if it stopped by itself (`discord.LoginFailure` for a refused
    token).
    """
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
    await bot.services.counters.aclose()
