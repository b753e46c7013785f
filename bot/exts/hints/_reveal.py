"""The Reveal button under `/hint`: reveals the next hint to the learner who asked, once.

Its custom id names the learner, the task and how many hints were revealed when it was shown,
and discord.py matches it to `RevealButton` whenever it is clicked: it works on old messages and
after restarts, a second press or a stale button reveals nothing twice, and nobody else may
press it.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, runtime_checkable

import discord

from bot.render.hints import hints_embed
from bot.replies import SafeView, report_failure, tell
from bot.services import Services
from core.catalog import audience_of, is_visible
from core.db import session_scope
from core.hints import HintState, reveal_next

GONE = "This task is no longer published here, so it has no hints to reveal."


@runtime_checkable
class _ServedClient(Protocol):
    services: Services


class RevealButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"codestreak:hint:(?P<owner>\d+):(?P<task>\d+):(?P<seen>\d+)",
):
    """Reveals hint number `seen + 1` of one task to the Discord user `owner`."""

    def __init__(self, owner: int, task_id: int, seen: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=f"Reveal hint {seen + 1}",
                emoji="💡",
                style=discord.ButtonStyle.primary,
                custom_id=f"codestreak:hint:{owner}:{task_id}:{seen}",
            )
        )
        self.owner = owner
        self.task_id = task_id
        self.seen = seen

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> RevealButton:
        """The button that `match` names."""
        return cls(int(match["owner"]), int(match["task"]), int(match["seen"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Reveal the next hint and show it in place of the offer."""
        client = interaction.client
        try:
            assert isinstance(client, _ServedClient)
            await self._reveal(client.services, interaction)
        except Exception as error:  # told briefly, logged in full
            await report_failure(interaction, error)

    async def _reveal(self, services: Services, interaction: discord.Interaction) -> None:
        mentions = await services.mentions.of(interaction.guild_id)
        if interaction.user.id != self.owner:
            await tell(
                interaction, f"These hints are someone else's: run {mentions('hint')} for yours."
            )
            return
        await interaction.response.defer()
        learner = await services.learner_id(interaction.user, interaction.guild_id)
        async with services.sessions() as session:
            visible = await is_visible(session, self.task_id, audience_of(interaction.guild_id))
        if not visible:
            await interaction.edit_original_response(content=GONE, embed=None, view=None)
            return
        try:
            async with session_scope(services.sessions) as session:
                revealed = await reveal_next(
                    session, learner, self.task_id, services.clock(), self.seen
                )
        except LookupError:
            await interaction.edit_original_response(content=GONE, embed=None, view=None)
            return
        state = revealed.state
        embed = hints_embed(state, mentions, revealed.outcome)
        await interaction.edit_original_response(embed=embed, view=reveal_view(self.owner, state))


def reveal_view(owner: int, state: HintState) -> discord.ui.View | None:
    """The Reveal button for the learner's next hint; None when there is nothing to reveal."""
    if state.next_number is None:
        return None
    view = SafeView(timeout=None)
    view.add_item(RevealButton(owner, state.task_id, state.revealed))
    view.stop()  # a finished view is not stored by discord.py: clicks reach RevealButton
    return view
