"""The reminder loop: every minute, send the streak reminders that are due, a few at a time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from discord.ext import commands, tasks

from bot.exts.reminders._sender import ReminderSender
from core.reminders import DueReminder, due_reminders

if TYPE_CHECKING:
    from bot.client import CodestreakBot

logger = logging.getLogger(__name__)

CHECK_EVERY_S = 60.0
#: reminders sent at once: enough for a busy evening, few enough to stay in Discord's limits
SEND_CONCURRENCY = 8
#: one learner's reminder may take this long before the check moves on (its claim expires)
SEND_TIMEOUT_S = 30.0


class ReminderScheduler(commands.Cog):
    """Sends due streak reminders; the first check runs as soon as the bot is ready."""

    def __init__(self, bot: CodestreakBot) -> None:
        self.bot = bot
        self.services = bot.services
        # claims are named like the daily post's: one name per process
        self.sender = ReminderSender(bot, bot.services, bot.daily.claimant)

    async def cog_load(self) -> None:
        """Start checking."""
        self.check.start()

    async def cog_unload(self) -> None:
        """Stop checking, and let a check in progress wind down."""
        self.check.cancel()
        task = self.check.get_task()
        if task is not None and task is not asyncio.current_task():
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @tasks.loop(seconds=CHECK_EVERY_S)
    async def check(self) -> None:
        """Send every reminder due now; a database outage waits for the next check."""
        try:
            async with self.services.sessions() as session:
                due = await due_reminders(session, self.services.clock())
        except Exception:
            logger.exception("cannot read the due streak reminders; trying again next check")
            return
        limit = asyncio.Semaphore(SEND_CONCURRENCY)
        await asyncio.gather(*(self._send(item, limit) for item in due))

    async def _send(self, item: DueReminder, limit: asyncio.Semaphore) -> None:
        """One reminder; whatever goes wrong is logged and left to a later check."""
        async with limit:
            try:
                async with asyncio.timeout(SEND_TIMEOUT_S):
                    await self.sender.remind(item)
            except Exception:
                logger.exception("streak reminder of learner %s failed", item.user_id)

    @check.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()
