"""The day's discussion thread (created from the daily post, so sharing its message id) and
where a server's first solves are announced."""

from __future__ import annotations

import logging

import discord

from bot.channel_access import REPORTING, missing
from bot.services import Services
from core.daily import find_daily
from core.guilds import find_guild_settings, today_for

logger = logging.getLogger(__name__)


async def find_thread(guild: discord.Guild, thread_id: int) -> discord.Thread | None:
    """The thread `thread_id` of `guild` (archived ones are fetched), or None when it is gone
    or the bot cannot see it."""
    thread = guild.get_thread(thread_id)
    if thread is not None:
        return thread
    try:
        fetched = await guild.fetch_channel(thread_id)
    except discord.HTTPException:
        return None
    return fetched if isinstance(fetched, discord.Thread) else None


def can_post_in(thread: discord.Thread) -> bool:
    """Whether the bot may post in `thread` as it is now (open and permitted)."""
    permissions = thread.permissions_for(thread.guild.me)
    return (
        not thread.archived
        and not thread.locked
        and permissions.view_channel
        and permissions.send_messages_in_threads
    )


async def announcement_channel(
    services: Services, guild: discord.Guild
) -> discord.abc.Messageable | None:
    """Where first solves of `guild` are announced now: today's daily thread when there is one
    the bot may post in, else the challenge channel when writable; None when solves are not
    announced there (the setting is off, or no such channel)."""
    async with services.sessions() as session:
        settings = await find_guild_settings(session, guild.id)
        if settings is None or not settings.announce_solves:
            return None
        post = await find_daily(
            session, guild.id, await today_for(session, guild.id, services.clock())
        )
    if post is not None and post.message_id is not None:
        thread = guild.get_thread(post.message_id)
        if thread is not None and can_post_in(thread):
            return thread
    channel = guild.get_channel(settings.challenge_channel_id or 0)
    if isinstance(channel, discord.TextChannel) and not missing(channel, REPORTING):
        return channel
    return None
