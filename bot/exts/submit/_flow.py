"""One submission from Discord: cooldown, acknowledgement, grading, verdict, roles, announcement.

A first solve is announced in the server's daily thread of today, else its challenge channel,
never wherever the learner happened to submit.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

import discord

from bot.exts.daily import announcement_channel
from bot.exts.submit._codeblock import FoundCode
from bot.exts.submit._resubmit import resubmit_view
from bot.render.verdict import solve_announcement, verdict_embed
from bot.replies import tell
from bot.roles import grant_roles
from core.sharing import shares_by_default
from core.submissions.outcome import SubmissionOutcome
from core.submissions.service import Source, SubmissionRejected

if TYPE_CHECKING:
    from bot.client import CodestreakBot

logger = logging.getLogger(__name__)

SHARED_NOTE = (
    "🔓 Shared: once the day is over, others may see this solution (the day's thread, the site)."
)
PRIVATE_NOTE = (
    "🔒 Not shared. Tick **Share my accepted solution** in the code box to let others learn "
    "from it after the day."
)


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

    async def grade(
        self,
        interaction: discord.Interaction,
        slug: str,
        found: FoundCode,
        shared: bool | None = None,
    ) -> None:
        """Grade the code `found` for task `slug` and answer with the verdict, its hint if any,
        and an "Edit & resubmit" button; call after `begin` returned True. `shared` is the
        learner's consent to share it once accepted (None: as they chose last time)."""
        services = self.services
        try:
            learner = await services.learner_id(interaction.user, interaction.guild_id)
            if shared is None:
                async with services.sessions() as session:
                    shared = await shares_by_default(session, learner)
            outcome = await services.submissions.submit(
                learner, slug, found.code, Source.DISCORD, interaction.guild_id, shared=shared
            )
        except SubmissionRejected as refusal:
            await self.cancel(interaction)
            await tell(interaction, str(refusal))
            return
        if outcome.busy:
            await self.cancel(interaction)
        notes = await grant_roles(self.bot, services, interaction.user, outcome)
        if outcome.accepted:
            notes.append(SHARED_NOTE if shared else PRIVATE_NOTE)
        # decided before the learner sees the verdict: the server's setting at that moment counts
        where = await self._announcement_channel(interaction) if outcome.first_solve else None
        await interaction.followup.send(
            found.hint or discord.utils.MISSING,
            embed=verdict_embed(outcome, notes),
            view=resubmit_view(slug),
            ephemeral=True,
        )
        if where is not None:
            await self._announce(where, interaction.user, outcome)

    async def _announcement_channel(
        self, interaction: discord.Interaction
    ) -> discord.abc.Messageable | None:
        """Where a first solve made through this interaction is announced, if anywhere."""
        guild = interaction.guild
        if guild is None:
            return None
        return await announcement_channel(self.services, guild)

    async def _announce(
        self,
        where: discord.abc.Messageable,
        learner: discord.abc.User,
        outcome: SubmissionOutcome,
    ) -> None:
        try:
            await where.send(solve_announcement(learner.mention, outcome))
        except discord.HTTPException as error:
            logger.warning("could not announce a solve in %s: %s", where, error)
