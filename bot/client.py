"""The bot: its command tree, its features and when it syncs commands with Discord."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_sync import sync_changed
from bot.endpoints import apply_discord_endpoints
from bot.exts import add_features
from bot.exts.daily import DailyPoster
from bot.replies import report_failure, tell
from bot.services import Services

logger = logging.getLogger(__name__)


class CommandTree(app_commands.CommandTree[commands.Bot]):
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


class CodestreakBot(commands.Bot):
    """The Discord side of codestreak; every rule is in `core`, reached through `services`."""

    def __init__(
        self, services: Services, *, guild_ready_timeout: float = 2.0, force_sync: bool = False
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
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

    async def login(self, token: str) -> None:
        """Apply the configured Discord endpoints, then log in."""
        apply_discord_endpoints(self.services.settings)
        await super().login(token)

    async def setup_hook(self) -> None:
        """Add every feature, then sync the commands that changed since their last sync."""
        await add_features(self)
        settings = self.services.settings
        await sync_changed(
            self, self.services.sessions, settings.discord_guild_ids, force=self.force_sync
        )
