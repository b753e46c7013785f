"""The scheduler: every half minute, post every daily challenge that is due and missing in the
servers of this process's shards, then the recap of every day that has ended."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from discord.ext import commands, tasks

from bot.exts.daily._poster import DailyPostFailed, DailyPostInProgress
from bot.exts.daily._recap import RecapFailed, RecapPoster
from bot.moderators import report_to_moderators
from core.daily import DaySkipped, NoPublishedTasks
from core.guilds import DueDaily, Shards, due_dailies
from core.recaps import DueRecap, due_recaps

if TYPE_CHECKING:
    from bot.client import CodestreakBot

logger = logging.getLogger(__name__)

CHECK_EVERY_S = 30.0


class DailyScheduler(commands.Cog):
    """Posts due daily challenges and recaps; the first check runs as soon as the bot is
    ready."""

    def __init__(self, bot: CodestreakBot) -> None:
        self.bot = bot
        self.services = bot.services
        self.recaps = RecapPoster(bot, bot.services, bot.daily.claimant)

    async def cog_load(self) -> None:
        """Start checking."""
        self.check.start()

    async def cog_unload(self) -> None:
        """Stop checking, and let a check in progress wind down (its database session closes)
        before the bot reports itself closed."""
        self.check.cancel()
        task = self.check.get_task()
        if task is not None and task is not asyncio.current_task():
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @tasks.loop(seconds=CHECK_EVERY_S)
    async def check(self) -> None:
        """Post what is due in the servers this process serves: challenges, then recaps."""
        try:
            async with self.services.sessions() as session:
                due = await due_dailies(session, self.services.clock(), self._shards())
                recaps = await due_recaps(session, self.services.clock(), self._shards())
        except Exception:
            logger.exception("cannot read the daily schedule")
            return
        for item in due:
            if self.bot.get_guild(item.guild_id) is not None:
                await self._post(item)
        for recap in recaps:
            if self.bot.get_guild(recap.guild_id) is not None:
                await self._recap(recap)

    async def _recap(self, due: DueRecap) -> None:
        guild = self.bot.get_guild(due.guild_id)
        try:
            await self.recaps.post(due)
        except RecapFailed as error:
            if guild is not None:
                await report_to_moderators(
                    self.bot, self.services, guild, f"recap {due.day.isoformat()}", str(error)
                )
        except Exception:
            logger.exception("recap %s of server %s failed", due.day, due.guild_id)

    def _shards(self) -> Shards | None:
        """The shards this process runs, when it runs only some of them."""
        if self.bot.shard_ids is None or self.bot.shard_count is None:
            return None
        return Shards(self.bot.shard_count, tuple(self.bot.shard_ids))

    async def _post(self, item: DueDaily) -> None:
        try:
            await self.bot.daily.post(item.guild_id, item.channel_id, item.day)
        except DailyPostInProgress:
            logger.info("server %s: another process is posting %s", item.guild_id, item.day)
        except DaySkipped:
            logger.info("server %s skipped %s while it was being posted", item.guild_id, item.day)
        except (DailyPostFailed, NoPublishedTasks) as error:
            guild = self.bot.get_guild(item.guild_id)
            if guild is not None:
                why = error if isinstance(error, DailyPostFailed) else "no task is published"
                await report_to_moderators(
                    self.bot,
                    self.services,
                    guild,
                    f"daily {item.day.isoformat()}",
                    f"today's challenge was not posted: {why}",
                )
        except Exception:
            logger.exception("daily post of server %s failed", item.guild_id)

    @check.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()
