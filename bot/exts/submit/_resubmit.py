"""The "Edit & resubmit" button under every verdict: reopens the code box with the code just sent.

The button's custom id names the task, and discord.py matches it to `EditButton` whenever it is
clicked, so it keeps working on old verdicts and after restarts, with no view kept in memory.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, runtime_checkable

import discord

from bot.exts.submit._modal import open_code_modal
from bot.replies import SafeView, report_failure
from bot.services import Services

SLUG = r"[^\s:]+"


@runtime_checkable
class _ServedClient(Protocol):
    services: Services


class EditButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"codestreak:edit:(?P<slug>{SLUG})"
):
    """Reopens the code box of one task."""

    def __init__(self, slug: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Edit & resubmit",
                emoji="✏️",
                style=discord.ButtonStyle.primary,
                custom_id=f"codestreak:edit:{slug}",
            )
        )
        self.slug = slug

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> EditButton:
        """The button that `match` names."""
        return cls(match["slug"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Open the code box with the learner's last code for the task."""
        client = interaction.client
        try:
            assert isinstance(client, _ServedClient)
            await open_code_modal(client.services, interaction, self.slug)
        except Exception as error:  # told briefly, logged in full
            await report_failure(interaction, error)


def resubmit_view(slug: str) -> discord.ui.View:
    """The verdict's buttons; sent detached, since `EditButton` answers every click."""
    view = SafeView(timeout=None)
    view.add_item(EditButton(slug))
    view.stop()  # a finished view is not stored by discord.py: nothing to time out or lose
    return view
