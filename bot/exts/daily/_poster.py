"""Posting one server's daily challenge exactly once, even across processes, crashes and restarts.

The choice of task is recorded first (the daily post row), then claimed for this process with a
lease, then the message is sent and at once the row is marked posted (which ends the claim);
the discussion thread comes last. Of several processes holding the server only the one whose
claim succeeded goes on; a process that crashed while holding the claim leaves it to expire
(core.daily.DAILY_POST_LEASE), and another posts then.

The one window left is a crash between sending and marking: it is healed on the next attempt,
which searches the channel's recent history (the last HISTORY_SEARCHED messages) for the message
(it starts with a marker naming the date) before anything is sent again. Only a process that
stalls past its lease between claiming and sending, or a channel with more messages than that
since the crash, could still see the challenge posted twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Literal

import discord

from bot.exts.daily._ping import ping_mentions, ping_view
from bot.moderators import report_to_moderators
from bot.render.tasks import task_embed
from bot.render.text import clip
from bot.services import Services
from core.daily import claim_daily, release_daily
from core.daily_pings import ping_role_of
from core.db import session_scope
from core.guilds import DailyChallenge, daily_challenge, record_daily_posted
from core.metrics import DAILY_POSTS, DailyPostOutcome

logger = logging.getLogger(__name__)

HISTORY_SEARCHED = 50
THREAD_NAME_LIMIT = 100
ONE_DAY_MINUTES: Literal[1440] = 1440
CLAIMANT_LIMIT = 100


class DailyPostFailed(RuntimeError):
    """The daily challenge could not be posted; the message says what to fix."""


class DailyPostInProgress(RuntimeError):
    """Another bot process holds the claim on the daily challenge: it is posting it now."""


@dataclass(frozen=True, slots=True)
class Posted:
    """Where a server's daily challenge is, and whether this call posted it."""

    message_id: int
    channel_id: int
    new: bool

    def jump_url(self, guild_id: int) -> str:
        """A link to the message."""
        return f"https://discord.com/channels/{guild_id}/{self.channel_id}/{self.message_id}"


def marker(day: date) -> str:
    """The first line of a daily post; finding it in a channel proves the post was made."""
    return f"📅 **Daily challenge for {day.isoformat()}**"


def process_claimant() -> str:
    """A name for one poster in one process on one host, as recorded in the claims it holds."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[-CLAIMANT_LIMIT:]


class DailyPoster:
    """Posts daily challenges: one post at a time per server within this process, and of
    several processes only the one holding the post's claim."""

    def __init__(self, client: discord.Client, services: Services) -> None:
        self.client = client
        self.services = services
        #: who this poster is in the claims it makes
        self.claimant = process_claimant()
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def post(self, guild_id: int, channel_id: int, day: date) -> Posted:
        """Make sure the challenge of `day` is in the channel; post it unless it already is.

        Raises DailyPostInProgress when another process holds the claim on it, DailyPostFailed
        when it cannot be posted, and core.daily.NoDailyChallenge's kinds when there is none.
        """
        async with self._locks[guild_id]:
            async with session_scope(self.services.sessions) as session:
                challenge = await daily_challenge(session, guild_id, day)
            if challenge.message_id is not None:
                return Posted(challenge.message_id, channel_id, new=False)
            channel = self.client.get_channel(channel_id)
            if not isinstance(channel, discord.TextChannel):
                DAILY_POSTS.labels(outcome=DailyPostOutcome.FAILED).inc()
                mentions = await self.services.mentions.of(guild_id)
                raise DailyPostFailed(
                    f"the challenge channel <#{channel_id}> is gone or not a text channel; "
                    f"set another with {mentions('mod channel')}"
                )
            async with session_scope(self.services.sessions) as session:
                claimed = await claim_daily(
                    session, challenge.post_id, self.claimant, self.services.clock()
                )
            if not claimed:
                return await self._claimed_elsewhere(guild_id, channel_id, day)
            try:
                return await self._post_claimed(channel, challenge)
            except Exception:
                DAILY_POSTS.labels(outcome=DailyPostOutcome.FAILED).inc()
                await self._release(challenge.post_id)
                raise

    async def _release(self, post_id: int) -> None:
        """Give up this poster's claim on a post it could not send, so it is due again at once;
        should that fail too, the claim expires by itself."""
        try:
            async with session_scope(self.services.sessions) as session:
                await release_daily(session, post_id, self.claimant)
        except Exception:
            logger.exception("cannot release the claim on daily post %s; it will expire", post_id)

    async def _claimed_elsewhere(self, guild_id: int, channel_id: int, day: date) -> Posted:
        async with session_scope(self.services.sessions) as session:
            challenge = await daily_challenge(session, guild_id, day)
        if challenge.message_id is not None:
            return Posted(challenge.message_id, channel_id, new=False)
        raise DailyPostInProgress(
            f"another bot process is posting the challenge of {day.isoformat()} right now"
        )

    async def _post_claimed(
        self, channel: discord.TextChannel, challenge: DailyChallenge
    ) -> Posted:
        """Send the claimed post unless the channel shows it was sent, and record it at once."""
        message = await self._already_sent(channel, challenge.day)
        new = message is None
        if message is None:
            message = await self._send(channel, challenge)
            DAILY_POSTS.labels(outcome=DailyPostOutcome.POSTED).inc()
        async with session_scope(self.services.sessions) as session:
            await record_daily_posted(session, challenge.post_id, message.id, self.services.clock())
        logger.info(
            "server %s: daily challenge of %s posted (%s)",
            channel.guild.id,
            challenge.day,
            message.id,
        )
        if new:
            await self._open_thread(channel, message, challenge)
        return Posted(message.id, channel.id, new)

    async def _already_sent(
        self, channel: discord.TextChannel, day: date
    ) -> discord.Message | None:
        me = self.client.user
        try:
            async for message in channel.history(limit=HISTORY_SEARCHED):
                if me and message.author.id == me.id and message.content.startswith(marker(day)):
                    logger.info("found an unrecorded daily post %s in %s", message.id, channel.id)
                    return message
        except discord.HTTPException as error:
            logger.warning("cannot read the history of %s: %s", channel.id, error)
        return None

    async def _send(
        self, channel: discord.TextChannel, challenge: DailyChallenge
    ) -> discord.Message:
        task = challenge.task
        mentions = await self.services.mentions.of(channel.guild.id)
        async with self.services.sessions() as session:
            role_id = await ping_role_of(session, channel.guild.id)
        role = channel.guild.get_role(role_id) if role_id is not None else None
        ping = f"\n🔔 {role.mention}" if role is not None else ""
        try:
            message = await channel.send(
                f"{marker(challenge.day)}\nSolve it with {mentions('submit')} `task:{task.slug}` "
                f"and discuss it in the thread below. New here? {mentions('help')}{ping}",
                embed=task_embed(task, self.services.settings.site_url, mentions),
                allowed_mentions=ping_mentions(role),
                view=ping_view(channel.guild.id) if role is not None else discord.utils.MISSING,
            )
        except discord.HTTPException as error:
            raise DailyPostFailed(f"I cannot post in <#{channel.id}>: {error.text}") from error
        return message

    async def _open_thread(
        self, channel: discord.TextChannel, message: discord.Message, challenge: DailyChallenge
    ) -> None:
        """The post's discussion thread; moderators are told when it cannot be made."""
        task = challenge.task
        try:
            await message.create_thread(
                name=clip(f"{challenge.day.isoformat()} · {task.title}", THREAD_NAME_LIMIT),
                auto_archive_duration=ONE_DAY_MINUTES,
            )
        except discord.HTTPException as error:
            mentions = await self.services.mentions.of(channel.guild.id)
            await report_to_moderators(
                self.client,
                self.services,
                channel.guild,
                f"daily thread {channel.id}",
                f"the challenge of {challenge.day.isoformat()} was posted in {channel.mention} "
                f"without its discussion thread: {error.text or error}. Check my permissions "
                f"there with {mentions('mod channel')}.",
            )
