"""Delivering one streak reminder exactly once: claimed, sent, then recorded.

The reminder goes by DM. When Discord refuses the DM (the learner closed their DMs: 403, code
50007), the learner is mentioned once in their server's thread of today's challenge, if it was
posted; without one the reminder is given up, logged. Either way the day counts as reminded.
A failure that may pass (Discord unavailable) releases the claim, so that the next check
tries again; a process that crashes while holding it leaves it to expire.

A process that crashed between sending and recording is healed like a daily post: a later
attempt first looks for today's reminder among the bot's recent messages where it would be
(the DM, else the thread) and only records it when found.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from http import HTTPStatus

import discord

from bot.exts.reminders._render import REMINDER_MARK, reminder_dm, reminder_mention
from bot.services import Services
from core.db import session_scope
from core.reminders import (
    Attempt,
    DueReminder,
    ServerDaily,
    claim_reminder,
    record_reminded,
    release_reminder,
    todays_daily,
)

logger = logging.getLogger(__name__)

#: how many of the bot's latest messages in a DM or thread are searched for a reminder
HISTORY_SEARCHED = 20


class Delivery(StrEnum):
    """How a reminder reached the learner, if at all."""

    DM = "dm"
    THREAD = "thread"
    GIVEN_UP = "given up"
    #: another process holds or sent it
    ELSEWHERE = "elsewhere"


def _refused_for_good(error: discord.HTTPException) -> bool:
    """Whether Discord refused for a reason that trying again will not change (a 4xx: the
    user or thread is gone, or the bot may not write there), unlike an outage (5xx)."""
    return error.status < HTTPStatus.INTERNAL_SERVER_ERROR


class ReminderSender:
    """Sends claimed reminders from one bot process, named `claimant` in its claims."""

    def __init__(self, client: discord.Client, services: Services, claimant: str) -> None:
        self.client = client
        self.services = services
        self.claimant = claimant

    async def remind(self, due: DueReminder) -> Delivery:
        """Claim `due`, deliver it and record it; ELSEWHERE when another process has it.

        Raises what Discord or the database raised when it may pass; the claim is then
        released (or, should that fail too, expires).
        """
        async with session_scope(self.services.sessions) as session:
            attempt = await claim_reminder(
                session, due.user_id, due.day, self.claimant, self.services.clock()
            )
        if attempt is None:
            return Delivery.ELSEWHERE
        try:
            delivery = await self._deliver(due, attempt)
        except Exception:
            await self._release(due)
            raise
        async with session_scope(self.services.sessions) as session:
            await record_reminded(
                session, due.user_id, due.day, self.claimant, self.services.clock()
            )
        logger.info("streak reminder of learner %s on %s: %s", due.user_id, due.day, delivery)
        return delivery

    async def _release(self, due: DueReminder) -> None:
        try:
            async with session_scope(self.services.sessions) as session:
                await release_reminder(session, due.user_id, due.day, self.claimant)
        except Exception:
            logger.exception("cannot release the reminder of learner %s; it expires", due.user_id)

    async def _deliver(self, due: DueReminder, attempt: Attempt) -> Delivery:
        daily = await self._daily(due, self.services.clock())
        guild = self.client.get_guild(due.guild_id) if due.guild_id else None
        mentions = await self.services.mentions.of(None)
        try:
            channel = await self.client.create_dm(discord.Object(due.discord_id))
            if attempt is Attempt.AGAIN and await self._sent_in(channel, due, REMINDER_MARK):
                return Delivery.DM
            await channel.send(reminder_dm(due, daily, guild.name if guild else None, mentions))
        except discord.Forbidden as refused:
            logger.info("learner %s does not accept DMs: %s", due.user_id, refused.text)
            return await self._mention(due, daily, attempt)
        except discord.HTTPException as error:
            if not _refused_for_good(error):
                raise
            logger.info("cannot DM learner %s: %s; given up", due.user_id, error.text or error)
            return Delivery.GIVEN_UP
        return Delivery.DM

    async def _daily(self, due: DueReminder, now: datetime) -> ServerDaily | None:
        if due.guild_id is None:
            return None
        async with self.services.sessions() as session:
            return await todays_daily(session, due.guild_id, now)

    async def _mention(
        self, due: DueReminder, daily: ServerDaily | None, attempt: Attempt
    ) -> Delivery:
        """Mention the learner in today's thread of their server, once; GIVEN_UP without one."""
        if daily is None or due.guild_id is None:
            logger.info("no thread to remind learner %s in; given up", due.user_id)
            return Delivery.GIVEN_UP
        thread = self.client.get_partial_messageable(
            daily.thread_id, guild_id=due.guild_id, type=discord.ChannelType.public_thread
        )
        mentions = await self.services.mentions.of(due.guild_id)
        mark = f"<@{due.discord_id}> {REMINDER_MARK}"
        if attempt is Attempt.AGAIN and await self._sent_in(thread, due, mark):
            return Delivery.THREAD
        try:
            await thread.send(
                reminder_mention(due, mentions),
                allowed_mentions=discord.AllowedMentions(users=[discord.Object(due.discord_id)]),
            )
        except discord.HTTPException as error:
            if not _refused_for_good(error):
                raise
            logger.info(
                "cannot remind learner %s in thread %s: %s; given up",
                due.user_id,
                daily.thread_id,
                error.text or error,
            )
            return Delivery.GIVEN_UP
        return Delivery.THREAD

    async def _sent_in(self, channel: discord.abc.Messageable, due: DueReminder, mark: str) -> bool:
        """Whether the bot's recent messages in `channel` hold a reminder (starting with
        `mark`) sent since the learner's day began."""
        me = self.client.user
        try:
            async for message in channel.history(limit=HISTORY_SEARCHED):
                if message.created_at < due.day_starts:
                    break
                if me and message.author.id == me.id and message.content.startswith(mark):
                    logger.info("found the unrecorded reminder of learner %s", due.user_id)
                    return True
        except discord.HTTPException as error:
            logger.warning("cannot read where learner %s was reminded: %s", due.user_id, error)
        return False
