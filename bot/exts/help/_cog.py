"""`/help`, and the welcome posted when the bot joins a server."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.channel_access import POSTING, missing
from bot.exts.help._commands import command_lines
from bot.render.help import help_embed, welcome_embed
from core.db import session_scope
from core.guilds import find_guild_settings, guild_settings
from core.models.guild import DEFAULT_DAILY_BONUS

if TYPE_CHECKING:
    from bot.client import CodestreakBot

logger = logging.getLogger(__name__)


def welcome_channel(guild: discord.Guild) -> discord.TextChannel | None:
    """Where to greet a server: its system channel, else its first text channel (in the order
    members see them) where the bot may post an embed; None when there is no such channel."""
    system = guild.system_channel
    candidates = ([system] if system is not None else []) + sorted(
        guild.text_channels, key=lambda channel: channel.position
    )
    return next((channel for channel in candidates if not missing(channel, POSTING)), None)


class HelpCog(commands.Cog):
    """What the bot does and how, for learners and for a server that just added it."""

    def __init__(self, bot: CodestreakBot) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="help", description="How codestreak works, and every command.")
    async def help(self, interaction: discord.Interaction) -> None:
        """What to do first, how points and streaks work, every command as a mention."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        bonus = DEFAULT_DAILY_BONUS
        if interaction.guild_id is not None:
            async with self.services.sessions() as session:
                settings = await find_guild_settings(session, interaction.guild_id)
            bonus = settings.daily_bonus if settings else bonus
        learners, moderators = command_lines(self.bot.tree)
        mentions = await self.services.mentions.of(interaction.guild_id)
        embed = help_embed(learners, moderators, mentions, bonus)
        await interaction.followup.send(embed=embed, ephemeral=True)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Greet a server that added the bot with a setup checklist, where the bot may post;
        nowhere when it may post nowhere."""
        channel = welcome_channel(guild)
        if channel is None:
            logger.info("joined server %s: no channel to post the welcome in", guild.id)
            return
        async with session_scope(self.services.sessions) as session:
            settings = await guild_settings(session, guild.id)
            embed = welcome_embed(settings, await self.services.mentions.of(guild.id))
        try:
            await channel.send(embed=embed)
        except discord.HTTPException as error:
            logger.warning("cannot welcome server %s in %s: %s", guild.id, channel.id, error)
