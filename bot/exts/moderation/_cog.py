"""`/mod ...`: the moderator commands of one server, gathered from their groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.exts.moderation._access import REFUSAL, NotModerator, is_moderator
from bot.exts.moderation._daily import DailyCommands
from bot.exts.moderation._roles import RoleCommands
from bot.exts.moderation._server import ServerCommands
from bot.exts.moderation._tasks import TaskCommands
from core.db import session_scope
from core.moderators import forget_moderator

if TYPE_CHECKING:
    from bot.client import CodestreakBot


@discord.app_commands.guild_only()
@discord.app_commands.default_permissions(manage_guild=True)
class ModerationCog(
    TaskCommands,
    DailyCommands,
    ServerCommands,
    RoleCommands,
    commands.GroupCog,
    group_name="mod",
    group_description="Moderator tools.",
):
    """Moderator commands; every one checks the member first and records them as a moderator
    of this server (never anywhere else).

    Discord shows `/mod` only in servers and only to members with Manage Server, unless the
    server allows it for a role; the checks here hold whatever a server configured.
    Autocomplete callbacks carry `moderators_only`, since discord.py skips `interaction_check`
    for them.
    """

    def __init__(self, bot: CodestreakBot) -> None:
        super().__init__()
        self.bot = bot
        self.services = bot.services

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Refuse members without Manage Server or the moderator role, and forget any right
        they were seen with here before: the site's designer closes for them at once."""
        if await is_moderator(self.services, interaction):
            return True
        if interaction.guild_id is not None:
            async with session_scope(self.services.sessions) as session:
                await forget_moderator(session, interaction.user.id, interaction.guild_id)
        raise NotModerator(REFUSAL)
