"""Verdict and task embeds stay within Discord's limits whatever the program printed."""

from __future__ import annotations

from dataclasses import replace

import discord

from bot.render.text import CUT_MARKER, clip, code_block, fit_embed
from bot.render.verdict import LABELS, solve_announcement, verdict_embed
from core.submissions.outcome import RoleGrant, SubmissionOutcome, TestView, UnlockedAchievement
from sandbox import Verdict


def embed_limits_hold(embed: discord.Embed) -> None:
    """Assert Discord's embed limits."""
    assert len(embed) <= 6000
    assert len(embed.title or "") <= 256
    assert len(embed.description or "") <= 4096
    assert len(embed.fields) <= 25
    for field in embed.fields:
        assert len(field.name or "") <= 256
        assert len(field.value or "") <= 1024


def huge_outcome() -> SubmissionOutcome:
    """A wrong answer whose test data, output and error are all enormous."""
    tests = (
        TestView(0, True, False, "accepted", 1.0, "1\n", "1\n", "1\n", ""),
        TestView(1, False, False, "wrong_answer", 2.0, "x" * 50_000, "y" * 50_000, "z" * 50_000),
        *(TestView(i, i % 2 == 0, True, None, 1.0) for i in range(2, 200)),
    )
    return SubmissionOutcome(
        submission_id=7,
        task_slug="big",
        task_title="T" * 500,
        verdict=Verdict.WRONG_ANSWER,
        tests=tests,
        time_ms=12.0,
        message="Traceback (most recent call last):\n" + "  line\n" * 5000 + "ValueError: end",
        achievements=tuple(
            UnlockedAchievement(f"a{i}", "N" * 60, "D" * 200, "🏅", (RoleGrant(1, 2),))
            for i in range(30)
        ),
    )


def test_verdict_embed_fits_discord_limits_with_markers_where_cut() -> None:
    embed = verdict_embed(huge_outcome(), notes=["n" * 3000])
    embed_limits_hold(embed)
    fields = {f.name: f.value or "" for f in embed.fields}
    assert fields["Test 2 input"].startswith("```\nxxx")
    assert CUT_MARKER in fields["Test 2 input"]
    assert fields["Test 2 input"].endswith("\n```")
    assert fields["Error"].rstrip("`\n").endswith("ValueError: end")
    assert fields["Error"].count("\n") == 12 + 1  # the last twelve lines in a code block
    assert "Hidden tests: 99/198 passed" in (embed.description or "")


def test_hidden_tests_never_show_their_data() -> None:
    outcome = SubmissionOutcome(
        submission_id=1,
        task_slug="t",
        task_title="T",
        verdict=Verdict.WRONG_ANSWER,
        tests=(
            TestView(0, True, False, "accepted", 1.0, "in\n", "out\n", "out\n"),
            TestView(1, False, True, "wrong_answer", 1.0),
        ),
        time_ms=3.0,
    )
    embed = verdict_embed(outcome)
    names = [f.name for f in embed.fields]
    assert "Hidden test failed" in names
    assert "Test 2 input" not in names
    assert "Hidden tests: 0/1 passed 🟥" in (embed.description or "")


def test_announcement_is_one_short_line() -> None:
    outcome = huge_outcome()
    line = solve_announcement("<@1>", outcome)
    assert "\n" not in line
    assert len(line) <= 200


def test_clip_and_code_block() -> None:
    assert clip("abc", 3) == "abc"
    assert clip("abcdefghij" * 3, 10) == "abcd" + CUT_MARKER
    block = code_block("a```b", 100)
    assert block.count("```") == 2
    assert code_block("   ") == "```\n(empty)\n```"
    assert len(code_block("x" * 5000, 1024)) <= 1024


def test_fit_embed_shortens_the_longest_part() -> None:
    embed = discord.Embed(title="t", description="d" * 4000)
    for i in range(5):
        embed.add_field(name=f"f{i}", value="v" * 1000)
    fit_embed(embed)
    embed_limits_hold(embed)
    assert (embed.description or "").endswith(CUT_MARKER)


def test_every_verdict_has_a_label() -> None:
    assert set(LABELS) == set(Verdict)


#: an accepted first solve of a server's own task, on its daily challenge
SERVER_SOLVE = SubmissionOutcome(
    submission_id=3,
    task_slug="local",
    task_title="Local",
    verdict=Verdict.ACCEPTED,
    tests=(TestView(0, True, False, "accepted", 1.0, "a\n", "a\n", "a\n"),),
    time_ms=1.0,
    first_solve=True,
    points_gained=10,
    daily_bonus=5,
    total_points=40,
    server_points=55,
    streak_before=2,
    streak_after=2,
)


def test_a_server_tasks_points_are_shown_on_that_servers_board() -> None:
    def points(outcome: SubmissionOutcome) -> str:
        return next(f.value or "" for f in verdict_embed(outcome).fields if f.name == "Points")

    assert points(SERVER_SOLVE) == (
        "+10 points (+5 daily bonus) on this server's leaderboard (55 here)"
    )
    assert points(replace(SERVER_SOLVE, first_solve=False, points_gained=0, daily_bonus=0)) == (
        "Already solved before, no new points. 55 points on this server's leaderboard"
    )
    wrong = replace(SERVER_SOLVE, verdict=Verdict.WRONG_ANSWER, first_solve=False)
    assert points(wrong) == "55 points on this server's leaderboard"
    assert "on this server's leaderboard" in solve_announcement("<@1>", SERVER_SOLVE)
    assert "total" not in points(SERVER_SOLVE)
    assert "server" not in solve_announcement("<@1>", replace(SERVER_SOLVE, server_points=None))
