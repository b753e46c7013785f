"""Syncing the command tree with Discord only when it changed since the last sync.

Discord rate-limits command syncs and a global sync takes a while to show, so a restart with the
same commands leaves Discord alone. The hash of what was synced is kept in the database, per
application and scope (globally, or each server of DISCORD_GUILD_IDS), with the ids Discord gave
the commands: every process writes commands as `</name:id>` mentions from them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.command_syncs import (
    GLOBAL_SCOPE,
    command_ids,
    record_command_ids,
    record_sync,
    synced_hash,
)
from core.db import session_scope

logger = logging.getLogger(__name__)


def payload_hash(tree: app_commands.CommandTree[Any], guild: discord.Object | None) -> str:
    """A hash of what `tree.sync(guild=guild)` sends; the same commands in any order hash alike."""
    payload = sorted(
        (command.to_dict(tree) for command in tree.get_commands(guild=guild)),
        key=lambda command: (command["type"], command["name"]),
    )
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


async def sync_changed(
    bot: commands.AutoShardedBot,
    sessions: async_sessionmaker[AsyncSession],
    guild_ids: list[int],
    *,
    force: bool = False,
) -> None:
    """Sync the commands whose payload changed since their last sync, or all with `force`.

    With `guild_ids` (development) the global commands are copied to each of those servers and
    synced there, where they show at once; without, they are synced globally.
    """
    application_id = bot.application_id
    assert application_id is not None, "sync after login"
    scopes: list[discord.Object | None] = [discord.Object(guild_id) for guild_id in guild_ids]
    for guild in scopes or [None]:
        if guild is not None:
            bot.tree.copy_global_to(guild=guild)
        scope = GLOBAL_SCOPE if guild is None else guild.id
        where = "globally" if guild is None else f"to server {guild.id}"
        digest = payload_hash(bot.tree, guild)
        async with session_scope(sessions) as session:
            unchanged = await synced_hash(session, application_id, scope) == digest
            known = scope in await command_ids(session, application_id)
        if unchanged and not force:
            logger.info("commands unchanged since they were last synced %s", where)
            if not known:
                fetched = await bot.tree.fetch_commands(guild=guild)
                async with session_scope(sessions) as session:
                    await record_command_ids(session, application_id, scope, ids_of(fetched))
            continue
        synced = await bot.tree.sync(guild=guild)
        async with session_scope(sessions) as session:
            await record_sync(session, application_id, scope, digest, ids_of(synced))
        logger.info("synced %d commands %s", len(synced), where)


def ids_of(commands: list[app_commands.AppCommand]) -> dict[str, int]:
    """The ids of the slash commands Discord answered, by name (context menus cannot be
    mentioned)."""
    return {
        command.name: command.id
        for command in commands
        if command.type is discord.AppCommandType.chat_input
    }
