"""Posting the recap of a daily challenge's day in its thread, exactly once.

As the post itself (see `_poster`): the recap is claimed with a lease, sent unless the thread
shows it was sent already (a crash between sending and recording), and recorded at once. An
archived thread is reopened first; a thread that is gone, or one the bot may not reopen or post
in, is reported to the server's moderators (a gone thread's recap is given up).
"""

from __future__ import annotations

import io
import logging
from typing import NoReturn

import discord

from bot.exts.daily._threads import can_post_in, find_thread
from bot.render.recap import recap_marker, recap_message
from bot.services import Services
from core.db import session_scope
from core.recaps import DueRecap, Recap, claim_recap, recap_of, record_recap_posted, release_recap

logger = logging.getLogger(__name__)

HISTORY_SEARCHED = 50


class RecapFailed(RuntimeError):
    """The recap could not be posted now; the message says what to fix."""


class RecapPoster:
    """Posts the recaps of finished days: of several processes only the one holding the claim."""

    def __init__(self, client: discord.Client, services: Services, claimant: str) -> None:
        self.client = client
        self.services = services
        self.claimant = claimant

    async def post(self, due: DueRecap) -> bool:
        """Post the recap of `due` unless another process holds it; whether this call sent or
        recorded it. Raises RecapFailed (the claim released) when it cannot be posted now."""
        guild = self.client.get_guild(due.guild_id)
        if guild is None:
            return False
        async with session_scope(self.services.sessions) as session:
            if not await claim_recap(session, due.post_id, self.claimant, self.services.clock()):
                return False
        try:
            await self._post_claimed(guild, due)
        except Exception:
            await self._release(due.post_id)
            raise
        return True

    async def _post_claimed(self, guild: discord.Guild, due: DueRecap) -> None:
        async with self.services.sessions() as session:
            recap = await recap_of(session, due.post_id)
        thread = await find_thread(guild, due.thread_id)
        if recap is None or thread is None:
            await self._give_up(due)
        thread = await self._reopen(thread, due)
        if not await self._already_sent(thread, recap):
            try:
                await self._send(thread, recap)
            except discord.NotFound:
                await self._give_up(due)
        await self._record(due.post_id)
        logger.info("server %s: recap of %s posted in %s", guild.id, due.day, thread.id)

    async def _give_up(self, due: DueRecap) -> NoReturn:
        """Record a recap whose thread is gone as done (there is nowhere to post it), and raise
        RecapFailed to tell the moderators, once."""
        await self._record(due.post_id)
        raise RecapFailed(
            f"the thread of the challenge of {due.day.isoformat()} is gone, so its recap (the "
            "reference solution and shared solutions) was not posted"
        )

    async def _reopen(self, thread: discord.Thread, due: DueRecap) -> discord.Thread:
        """The thread, reopened when archived; RecapFailed when the bot may not reopen it or
        may not post there."""
        day = due.day.isoformat()
        if thread.archived:
            try:
                thread = await thread.edit(archived=False)
            except discord.HTTPException as error:
                raise RecapFailed(
                    f"the thread {thread.mention} of the challenge of {day} is archived and I "
                    f"cannot reopen it ({error.text or error.status}). Reopen it (or give me "
                    "Manage Threads) and I will post the day's recap there."
                ) from error
        if not can_post_in(thread):
            raise RecapFailed(
                f"I cannot post the recap of {day} in {thread.mention}: it is locked or I lack "
                "**Send Messages in Threads** there."
            )
        return thread

    async def _already_sent(self, thread: discord.Thread, recap: Recap) -> bool:
        me = self.client.user
        try:
            async for message in thread.history(limit=HISTORY_SEARCHED):
                mine = me is not None and message.author.id == me.id
                if mine and message.content.startswith(recap_marker(recap.day)):
                    logger.info("found an unrecorded recap %s in %s", message.id, thread.id)
                    return True
        except discord.HTTPException as error:
            logger.warning("cannot read the history of %s: %s", thread.id, error)
        return False

    async def _send(self, thread: discord.Thread, recap: Recap) -> None:
        mentions = await self.services.mentions.of(recap.guild_id)
        message = recap_message(recap, mentions)
        files = [
            discord.File(io.BytesIO(f.code.encode()), filename=f.filename, spoiler=True)
            for f in message.files
        ]
        try:
            await thread.send(
                message.content, files=files, allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.HTTPException as error:
            raise RecapFailed(
                f"I cannot post the recap of {recap.day.isoformat()} in {thread.mention}: "
                f"{error.text or error.status}"
            ) from error

    async def _record(self, post_id: int) -> None:
        async with session_scope(self.services.sessions) as session:
            await record_recap_posted(session, post_id, self.services.clock())

    async def _release(self, post_id: int) -> None:
        """Give up this poster's claim, so the recap is due again at the next check; should that
        fail too, the claim expires by itself."""
        try:
            async with session_scope(self.services.sessions) as session:
                await release_recap(session, post_id, self.claimant)
        except Exception:
            logger.exception("cannot release the claim on recap %s; it will expire", post_id)
