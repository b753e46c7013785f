"""`/hint` as learners read it: the hints they may see, and what the next one would cost."""

from __future__ import annotations

import discord

from bot.command_mentions import Mentions
from bot.render.text import FIELD_VALUE_LIMIT, TITLE_LIMIT, clip, fit_embed
from core.hints import COST_PER_HINT, HintState, RevealOutcome

#: what the learner is told besides the hints, by what their last press did
NOTES = {
    RevealOutcome.ALREADY: "That hint was revealed already: nothing was counted twice.",
    RevealOutcome.NONE_LEFT: "Every hint is revealed already.",
}


def _cost_line(state: HintState) -> str:
    """What revealing the next hint costs, in points a solve would earn before and after it."""
    number = state.next_number
    assert number is not None
    if state.points_after_next == state.points_now:
        return (
            f"Hint {number} of {state.total} is free: a solve already earns the least it can, "
            f"{state.points_now} points."
        )
    return (
        f"Hint {number} of {state.total} costs {COST_PER_HINT:.0%} of the task's points: a solve "
        f"now earns {state.points_now}, after it {state.points_after_next}; never less than "
        f"{state.points_floor}."
    )


def _summary(state: HintState, mentions: Mentions) -> str:
    if state.solved:
        return "You solved this task, so its hints are free: here they all are."
    if not state.total:
        return "This task has no hints any more."
    if state.next_number is not None:
        return _cost_line(state)
    return (
        f"You revealed every hint: a solve now earns {state.points_now} points. Send it with "
        f"{mentions('submit')} `task:{state.slug}`."
    )


def hints_embed(
    state: HintState, mentions: Mentions, outcome: RevealOutcome | None = None
) -> discord.Embed:
    """The hints a learner may read for one task, the cost of the next one and, after a press
    of Reveal, what it did."""
    embed = discord.Embed(
        title=clip(f"Hints: {state.title}", TITLE_LIMIT),
        description=_summary(state, mentions),
        colour=discord.Colour.gold(),
    )
    for number, text in enumerate(state.shown, 1):
        embed.add_field(name=f"Hint {number}", value=clip(text, FIELD_VALUE_LIMIT), inline=False)
    note = NOTES.get(outcome) if outcome is not None else None
    if note:
        embed.set_footer(text=note)
    return fit_embed(embed)
