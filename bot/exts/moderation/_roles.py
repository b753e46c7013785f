"""`/mod role` and `/mod role-sync`: achievement roles, granted to whoever holds the achievement."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from sqlalchemy.ext.asyncio import AsyncSession

from bot.choices import CHOICE_LIMIT
from bot.command_mentions import Mentions
from bot.exts.moderation._access import moderators_only
from bot.exts.moderation._base import ModeratorCommands, guild_id_of
from bot.render.text import CONTENT_LIMIT, clip
from bot.replies import tell
from bot.roles import Granting, Progress, grant_to_holders, unfit_reason
from core.guilds import (
    RoleMapping,
    achievement_choices,
    achievement_holders,
    map_achievement_role,
    role_mappings,
)
from core.models import Achievement

logger = logging.getLogger(__name__)


def _outcome(granting: Granting) -> str:
    """One mapping's line in the role-sync summary."""
    line = f"**{granting.achievement}** → {granting.role.mention}: {granting.granted} granted"
    if granting.refused is not None:
        return f"{line}, then stopped: {granting.refused}."
    return f"{line} ({granting.holders} members hold the achievement)."


class RoleCommands(ModeratorCommands):
    """Mapping achievements to cosmetic roles and applying the mappings again."""

    @app_commands.command(name="role", description="Grant a role when an achievement is unlocked.")
    @app_commands.describe(
        achievement="The achievement that grants the role",
        role="A role without permissions, below the bot's highest role",
    )
    async def role(
        self, interaction: discord.Interaction, achievement: str, role: discord.Role
    ) -> None:
        """Map an achievement to a cosmetic role; members who already unlocked it get it too."""
        unfit = unfit_reason(role)
        if unfit is not None:
            await tell(interaction, f"I will not grant that role: {unfit}.")
            return
        guild_id = role.guild.id

        async def change(session: AsyncSession) -> tuple[Achievement, list[int]]:
            mapped = await map_achievement_role(session, guild_id, achievement, role.id)
            return mapped, await achievement_holders(session, guild_id, mapped.slug)

        changed = await self.configure(interaction, change)
        if changed is None:
            return
        unlocked, holders = changed
        earlier = " Members who already unlocked it get it now." if holders else ""
        warning = ""
        if not role.guild.me.guild_permissions.manage_roles:
            warning = "\n⚠️ I cannot grant it yet: give me the Manage Roles permission."
        await tell(interaction, f"**{unlocked.name}** now grants {role.mention}.{earlier}{warning}")
        await grant_to_holders(self.bot, self.services, role, unlocked.name, holders)

    @role.autocomplete("achievement")
    @moderators_only
    async def _achievement_choices(
        self, _: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        async with self.services.sessions() as session:
            found = await achievement_choices(session, current, CHOICE_LIMIT)
        return [app_commands.Choice(name=clip(f"{n} ({s})", 100), value=s) for s, n in found]

    @app_commands.command(name="role-sync", description="Give every mapped role to its holders.")
    async def role_sync(self, interaction: discord.Interaction) -> None:
        """Apply every achievement→role mapping again to all members who hold the achievement
        (after a role was missing, or the bot lacked Manage Roles), reporting progress."""
        guild = interaction.guild
        assert guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        mappings = await self.change(
            interaction, lambda s: role_mappings(s, guild_id_of(interaction))
        )
        mentions = await self.services.mentions.of(guild.id)
        if not mappings:
            await tell(
                interaction,
                f"No achievement grants a role here yet: map one with {mentions('mod role')}.",
            )
            return

        async def progress(granting: Granting) -> None:
            try:
                await interaction.edit_original_response(
                    content=f"Syncing **{granting.achievement}** → {granting.role.mention}: "
                    f"{granting.checked}/{granting.holders} members checked…"
                )
            except discord.HTTPException as error:  # the sync goes on without progress
                logger.warning("role sync progress of %s not shown: %s", guild.id, error)

        lines = [await self._sync(guild, mapping, progress, mentions) for mapping in mappings]
        await interaction.edit_original_response(
            content=clip("Role sync done.\n" + "\n".join(lines), CONTENT_LIMIT)
        )

    async def _sync(
        self,
        guild: discord.Guild,
        mapping: RoleMapping,
        progress: Progress,
        mentions: Mentions,
    ) -> str:
        role = guild.get_role(mapping.role_id)
        if role is None:
            return f"**{mapping.name}**: its role is gone; map another with {mentions('mod role')}."
        granting = await grant_to_holders(
            self.bot, self.services, role, mapping.name, mapping.holders, progress
        )
        return _outcome(granting)
