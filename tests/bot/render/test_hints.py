"""`/hint`'s embed (plain unit tests of the rendering): the cost of the next hint, stated from
`core.hints`, and what a press did."""

from __future__ import annotations

from bot.command_mentions import Mentions
from bot.render.hints import hints_embed
from core.hints import HintState, RevealOutcome

MENTIONS = Mentions({"submit": 7})
HINTS = ("One.", "Two.", "Three.", "Four.", "Five.")


def state(revealed: int, points: int = 40, solved: bool = False, hints: int = 5) -> HintState:
    return HintState(1, "five-hints", "Five hints", HINTS[:hints], revealed, points, solved)


def test_the_offer_states_the_share_and_the_points_before_after_and_at_least() -> None:
    embed = hints_embed(state(1), MENTIONS)
    assert embed.title == "Hints: Five hints"
    assert embed.description == (
        "Hint 2 of 5 costs 20% of the task's points: a solve now earns 32, after it 24; "
        "never less than 16."
    )
    assert [(f.name, f.value) for f in embed.fields] == [("Hint 1", "One.")]


def test_a_hint_past_the_floor_is_said_to_be_free() -> None:
    embed = hints_embed(state(3), MENTIONS)
    assert embed.description == (
        "Hint 4 of 5 is free: a solve already earns the least it can, 16 points."
    )


def test_every_hint_revealed_points_to_submit() -> None:
    embed = hints_embed(state(5), MENTIONS, RevealOutcome.NONE_LEFT)
    assert embed.description == (
        "You revealed every hint: a solve now earns 16 points. Send it with </submit:7> "
        "`task:five-hints`."
    )
    assert embed.footer.text == "Every hint is revealed already."
    assert len(embed.fields) == 5


def test_a_solved_task_shows_every_hint_free_and_a_task_whose_hints_went_says_so() -> None:
    solved = hints_embed(state(0, solved=True), MENTIONS, RevealOutcome.FREE)
    assert solved.description == "You solved this task, so its hints are free: here they all are."
    assert len(solved.fields) == 5
    assert solved.footer.text is None
    gone = hints_embed(state(0, hints=0), MENTIONS, RevealOutcome.NO_HINTS)
    assert gone.description == "This task has no hints any more."
