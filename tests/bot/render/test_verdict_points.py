"""The verdict's Points field: what a first solve earned, what revealed hints cost and the daily
bonus they never reduce."""

from __future__ import annotations

from dataclasses import replace

from bot.render.verdict import verdict_embed
from core.submissions.outcome import SubmissionOutcome, TestView
from sandbox import Verdict

#: an accepted first solve of a 40-point task after two hints
AFTER_TWO_HINTS = SubmissionOutcome(
    submission_id=3,
    task_slug="hard",
    task_title="Hard",
    verdict=Verdict.ACCEPTED,
    tests=(TestView(0, True, False, "accepted", 1.0, "a\n", "a\n", "a\n"),),
    time_ms=1.0,
    first_solve=True,
    points_gained=24,
    hints_used=2,
    hint_cost=16,
    total_points=124,
)


def _points(outcome: SubmissionOutcome) -> str:
    return next(f.value or "" for f in verdict_embed(outcome).fields if f.name == "Points")


def test_the_points_say_what_hints_cost() -> None:
    assert _points(AFTER_TWO_HINTS) == "+24 points (2 hints: −16) · total 124 points"
    one = replace(AFTER_TWO_HINTS, points_gained=32, hints_used=1, hint_cost=8, daily_bonus=5)
    assert _points(one) == "+32 points (1 hint: −8, +5 daily bonus) · total 124 points"
    local = replace(AFTER_TWO_HINTS, server_points=30)
    assert _points(local) == "+24 points (2 hints: −16) on this server's leaderboard (30 here)"


def test_no_hints_no_mention() -> None:
    plain = replace(AFTER_TWO_HINTS, points_gained=40, hints_used=0, hint_cost=0)
    assert _points(plain) == "+40 points · total 124 points"
