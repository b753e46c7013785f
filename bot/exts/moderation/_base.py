"""What every group of `/mod` commands shares: acting as a moderator of one server."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

import discord
from discord.ext import commands
from sqlalchemy.ext.asyncio import AsyncSession

from bot.replies import tell
from bot.services import Services
from core.daily import DailyRefused
from core.daily_mix import MixRefused
from core.db import session_scope
from core.guilds import SettingRefused, record_configuration
from core.models import GLOBAL_CATALOGUE
from core.moderators import record_moderator

if TYPE_CHECKING:
    from bot.client import CodestreakBot

T = TypeVar("T")
#: refusals whose message tells the moderator why and what to do
REFUSALS = (SettingRefused, DailyRefused, MixRefused)


def guild_id_of(interaction: discord.Interaction) -> int:
    """The server a `/mod` command runs in (Discord offers `/mod` in servers only)."""
    assert interaction.guild_id is not None
    return interaction.guild_id


def catalogue_name(owner: int) -> str:
    """How moderators call the tasks of `owner`."""
    return "the shared catalogue" if owner == GLOBAL_CATALOGUE else "this server's own tasks"


class ModeratorCommands(commands.Cog):
    """A group of `/mod` commands (gathered into one `/mod` by `ModerationCog`); every change
    records the member as this server's moderator, and changes to the settings also who made
    them."""

    bot: CodestreakBot
    services: Services

    def owner_of(self, interaction: discord.Interaction) -> int:
        """The catalogue this server's moderators curate: the shared one in the operator's
        home servers, else the server's own tasks. Others' tasks are "not found" here."""
        return self.services.catalogue_of(guild_id_of(interaction))

    async def change(
        self, interaction: discord.Interaction, change: Callable[[AsyncSession], Awaitable[T]]
    ) -> T:
        """Apply a change and record the member as a moderator, in one transaction."""
        async with session_scope(self.services.sessions) as session:
            result = await change(session)
            await record(session, interaction, self.services.clock())
            return result

    async def attempt(
        self, interaction: discord.Interaction, change: Callable[[AsyncSession], Awaitable[T]]
    ) -> T | None:
        """`change`, telling the moderator why when it was refused (None then)."""
        try:
            return await self.change(interaction, change)
        except REFUSALS as refusal:
            await tell(interaction, str(refusal))
            return None

    async def configure(
        self, interaction: discord.Interaction, change: Callable[[AsyncSession], Awaitable[T]]
    ) -> T | None:
        """`attempt` a change of the server's settings, remembering the server's name and that
        this member configured it last (told by DM when no channel takes a report)."""
        guild = interaction.guild
        assert guild is not None

        async def configured(session: AsyncSession) -> T:
            result = await change(session)
            await record_configuration(session, guild.id, guild.name, interaction.user.id)
            return result

        return await self.attempt(interaction, configured)


async def record(session: AsyncSession, interaction: discord.Interaction, now: datetime) -> None:
    """Remember the member as a moderator of this server (they passed the check and acted)."""
    await record_moderator(
        session, interaction.user.id, interaction.user.name, guild_id_of(interaction), now
    )
