"""The bot: its command tree, its features, its shards and when it syncs commands with Discord."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_sync import sync_changed
from bot.endpoints import apply_discord_endpoints
from bot.exts import add_features
from bot.exts.daily import DailyPoster
from bot.replies import report_failure, tell
from bot.roles import RoleCatchUp
from bot.services import Services
from core.metrics import GATEWAY_RECONNECTS, watch_gateway

logger = logging.getLogger(__name__)


class CommandTree(app_commands.CommandTree[commands.AutoShardedBot]):
    """Answers every failed command: refusals as they are, surprises with a short message."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """A failed check is told as is; anything else is logged and told briefly."""
        if isinstance(error, app_commands.CheckFailure):
            await tell(interaction, str(error) or "You cannot use this command here.")
            return
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        await report_failure(interaction, original)


class CodestreakBot(commands.AutoShardedBot):
    """The Discord side of codestreak; every rule is in `core`, reached through `services`.

    It runs the gateway shards DISCORD_SHARD_IDS of DISCORD_SHARD_COUNT, or every shard of
    that count, or (neither set) as many as Discord recommends, all in this process.
    """

    def __init__(
        self, services: Services, *, guild_ready_timeout: float = 2.0, force_sync: bool = False
    ) -> None:
        settings = services.settings
        # no shard ids: discord.py runs every shard (its default, which an empty list is not)
        shard_ids: dict[str, Any] = (
            {"shard_ids": settings.discord_shard_ids} if settings.discord_shard_ids else {}
        )
        super().__init__(
            command_prefix=commands.when_mentioned,
            shard_count=settings.discord_shard_count,
            **shard_ids,
            intents=discord.Intents.default(),
            tree_cls=CommandTree,
            help_command=None,
            guild_ready_timeout=guild_ready_timeout,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.services = services
        self.daily = DailyPoster(self, services)
        #: sync every command at login even when unchanged (`codestreak bot sync`)
        self.force_sync = force_sync
        #: shards whose gateway session opened at least once: a later opening is a reconnect
        self._connected_shards: set[int] = set()

    async def login(self, token: str) -> None:
        """Apply the configured Discord endpoints, then log in."""
        apply_discord_endpoints(self.services.settings)
        await super().login(token)

    async def on_shard_connect(self, shard_id: int) -> None:
        """Count each new gateway session of a shard after its first as a reconnect."""
        if shard_id in self._connected_shards:
            GATEWAY_RECONNECTS.inc()
        self._connected_shards.add(shard_id)

    async def on_shard_resumed(self, shard_id: int) -> None:
        """Count a resumed gateway session as a reconnect."""
        GATEWAY_RECONNECTS.inc()

    async def setup_hook(self) -> None:
        """Add every feature and the catch-up of earned roles, then sync the commands that
        changed since their last sync, when this process is the one that syncs
        (DISCORD_SYNC_COMMANDS, or `codestreak bot sync`), and read the commands' ids for
        mentions."""
        watch_gateway(lambda: self.latencies)
        await add_features(self)
        self.add_listener(RoleCatchUp(self, self.services).on_interaction, "on_interaction")
        settings = self.services.settings
        self.services.mentions.application_id = self.application_id
        if settings.discord_sync_commands or self.force_sync:
            await sync_changed(
                self, self.services.sessions, settings.discord_guild_ids, force=self.force_sync
            )
        else:
            logger.info("commands are left to the process that syncs them (DISCORD_SYNC_COMMANDS)")
        await self.services.mentions.refresh()
