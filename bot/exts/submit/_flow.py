"""One submission from Discord: cooldown, acknowledgement, grading, verdict, roles, announcement."""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

import discord

from bot.exts.submit._codeblock import FoundCode
from bot.exts.submit._resubmit import resubmit_view
from bot.render.verdict import solve_announcement, verdict_embed
from bot.replies import tell
from bot.roles import grant_roles
from core.guilds import find_guild_settings
from core.submissions.outcome import SubmissionOutcome
from core.submissions.service import Source, SubmissionRejected

if TYPE_CHECKING:
    from bot.client import CodestreakBot

logger = logging.getLogger(__name__)


class SubmissionFlow:
    """The steps every way of submitting shares."""

    def __init__(self, bot: CodestreakBot) -> None:
        self.bot = bot
        self.services = bot.services

    async def begin(self, interaction: discord.Interaction) -> bool:
        """Apply the cooldown and acknowledge privately (unless already acknowledged); False
        (learner told) when cooling down."""
        wait = await self.services.cooldown.acquire(interaction.user.id)
        if wait:
            await tell(interaction, f"⏳ Not so fast: you can submit again in {math.ceil(wait)} s.")
            return False
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)
        return True

    async def cancel(self, interaction: discord.Interaction) -> None:
        """Forget the cooldown of a submission refused before grading."""
        await self.services.cooldown.release(interaction.user.id)

    async def grade(self, interaction: discord.Interaction, slug: str, found: FoundCode) -> None:
        """Grade the code `found` for task `slug` and answer with the verdict, its hint if any,
        and an "Edit & resubmit" button; call after `begin` returned True."""
        services = self.services
        try:
            learner = await services.learner_id(interaction.user, interaction.guild_id)
            outcome = await services.submissions.submit(
                learner, slug, found.code, Source.DISCORD, interaction.guild_id
            )
        except SubmissionRejected as refusal:
            await self.cancel(interaction)
            await tell(interaction, str(refusal))
            return
        if outcome.busy:
            await self.cancel(interaction)
        notes = await grant_roles(self.bot, services, interaction.user, outcome)
        # decided before the learner sees the verdict: the server's setting at that moment counts
        announce = outcome.first_solve and await self._announces(interaction)
        await interaction.followup.send(
            found.hint or discord.utils.MISSING,
            embed=verdict_embed(outcome, notes),
            view=resubmit_view(slug),
            ephemeral=True,
        )
        if announce:
            await self._announce(interaction, outcome)

    async def _announces(self, interaction: discord.Interaction) -> bool:
        """Whether first solves are announced in the server of this interaction."""
        if interaction.guild_id is None or interaction.channel is None:
            return False
        async with self.services.sessions() as session:
            settings = await find_guild_settings(session, interaction.guild_id)
        return settings is None or settings.announce_solves

    async def _announce(self, interaction: discord.Interaction, outcome: SubmissionOutcome) -> None:
        channel = interaction.channel
        if not isinstance(channel, discord.abc.Messageable):
            return
        try:
            await channel.send(solve_announcement(interaction.user.mention, outcome))
        except discord.HTTPException as error:
            logger.warning("could not announce a solve in %s: %s", interaction.channel_id, error)
