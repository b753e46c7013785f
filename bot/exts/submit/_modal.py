"""The code modal of `/submit`, pre-filled with the task's template."""

from __future__ import annotations

import discord

from bot.exts.submit._flow import SubmissionFlow
from bot.render.text import clip
from bot.replies import SafeModal

MODAL_TITLE_LIMIT = 45
CODE_LIMIT = 4000


class CodeModal(SafeModal):
    """A paragraph field for the code; submitting grades it."""

    def __init__(self, flow: SubmissionFlow, slug: str, title: str, template: str) -> None:
        super().__init__(title=clip(f"Submit: {title}", MODAL_TITLE_LIMIT), timeout=30 * 60)
        self.flow = flow
        self.slug = slug
        self.code: discord.ui.TextInput[CodeModal] = discord.ui.TextInput(
            label="Your Python code",
            style=discord.TextStyle.paragraph,
            default=template[:CODE_LIMIT] or None,
            max_length=CODE_LIMIT,
            required=True,
        )
        self.add_item(self.code)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Grade the code."""
        if await self.flow.begin(interaction):
            await self.flow.grade(interaction, self.slug, self.code.value)
