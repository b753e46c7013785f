"""Telling a server's moderators about a problem the bot met that they must fix.

One way for every problem (a daily post that failed, a role that could not be granted): the
server's mod-log channel when set and writable, else a direct message to the moderator who last
configured the server, else (only when neither works) the challenge channel when writable. Never
a channel the bot cannot write; always logged; the same problem at most once per server per
hour (`bot.services.REPORT_EVERY_S`), so that a role nobody can be given is not reported for
every learner.
"""

from __future__ import annotations

import logging

import discord

from bot.channel_access import REPORTING, missing
from bot.render.text import CONTENT_LIMIT, clip
from bot.services import Services
from core.guilds import find_guild_settings

logger = logging.getLogger(__name__)


def _writable(guild: discord.Guild, channel_id: int | None) -> discord.TextChannel | None:
    """The server's text channel `channel_id` when the bot may post a report in it."""
    channel = guild.get_channel(channel_id) if channel_id else None
    if isinstance(channel, discord.TextChannel) and not missing(channel, REPORTING):
        return channel
    return None


async def _post(channel: discord.abc.Messageable, text: str) -> bool:
    try:
        await channel.send(clip(text, CONTENT_LIMIT))
    except discord.HTTPException as error:
        logger.warning("could not report to moderators in %s: %s", channel, error)
        return False
    return True


async def _direct_message(client: discord.Client, user_id: int, text: str) -> bool:
    try:
        user = client.get_user(user_id) or await client.fetch_user(user_id)
    except discord.HTTPException as error:
        logger.warning("cannot find moderator %s to report to: %s", user_id, error)
        return False
    return await _post(user, text)


async def report_to_moderators(
    client: discord.Client, services: Services, guild: discord.Guild, problem: str, text: str
) -> None:
    """Tell the moderators of `guild` `text`; `problem` names what went wrong without naming
    who met it (e.g. "role 123"), so a repeat within the hour is only logged."""
    logger.warning("server %s: %s", guild.id, text)
    if await services.reports.acquire(f"{guild.id}:{problem}"):
        return
    async with services.sessions() as session:
        settings = await find_guild_settings(session, guild.id)
    if settings is None:
        logger.warning("server %s: nowhere to report to (nothing configured)", guild.id)
        return
    log = _writable(guild, settings.mod_log_channel_id)
    if log is not None and await _post(log, f"🛠️ {text}"):
        return
    if settings.configured_by is not None and await _direct_message(
        client, settings.configured_by, f"🛠️ In **{guild.name}**: {text}"
    ):
        return
    challenges = _writable(guild, settings.challenge_channel_id)
    if challenges is not None and await _post(challenges, f"🛠️ Moderators: {text}"):
        return
    logger.warning(
        "server %s: no mod-log channel, DM or challenge channel took the report", guild.id
    )
