"""Short ephemeral answers, whether or not the interaction was acknowledged yet."""

from __future__ import annotations

import logging

import discord

from bot.render.text import CONTENT_LIMIT, clip

logger = logging.getLogger(__name__)

GENERIC_FAILURE = "Something went wrong on our side. Please try again in a moment."


async def tell(interaction: discord.Interaction, text: str) -> None:
    """Answer the invoker alone with `text` (trimmed to Discord's limit); never raises."""
    content = clip(text, CONTENT_LIMIT)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True)
        else:
            await interaction.response.send_message(content, ephemeral=True)
    except discord.HTTPException as error:
        logger.warning("could not answer interaction %s: %s", interaction.id, error)


async def report_failure(interaction: discord.Interaction, error: BaseException) -> None:
    """Log an unexpected error with its traceback and tell the user briefly."""
    logger.error("interaction %s failed", interaction.id, exc_info=error)
    await tell(interaction, GENERIC_FAILURE)


class SafeView(discord.ui.View):
    """A view whose unexpected errors reach the user as a short message, never silence."""

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[SafeView]
    ) -> None:
        """Log and answer briefly."""
        await report_failure(interaction, error)


class SafeModal(discord.ui.Modal):
    """A modal whose unexpected errors reach the user as a short message, never silence."""

    async def on_error(  # type: ignore[override]  # discord.py's Modal narrows View's signature
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """Log and answer briefly."""
        await report_failure(interaction, error)
