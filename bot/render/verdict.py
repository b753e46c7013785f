"""The verdict of a submission as an ephemeral embed, and the public one-line announcement."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.render.difference import difference_summary, numbered_excerpt
from bot.render.text import (
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    clip,
    code_block,
    count,
    fit_embed,
)
from core.submissions.outcome import SubmissionOutcome, TestView
from sandbox import DiffUnit, Verdict

LABELS = {
    Verdict.ACCEPTED: ("✅", "Accepted"),
    Verdict.WRONG_ANSWER: ("❌", "Wrong answer"),
    Verdict.RUNTIME_ERROR: ("💥", "Runtime error"),
    Verdict.TIME_LIMIT: ("⏱️", "Time limit exceeded"),
    Verdict.MEMORY_LIMIT: ("🧠", "Memory limit exceeded"),
    Verdict.OUTPUT_LIMIT: ("📜", "Output limit exceeded"),
    Verdict.SYNTAX_ERROR: ("🧩", "Syntax error"),
    Verdict.SANDBOX_ERROR: ("⚠️", "Not graded"),
}
COLOURS = {Verdict.ACCEPTED: discord.Colour.green(), Verdict.SANDBOX_ERROR: discord.Colour.orange()}
TRACEBACK_LINES = 12
SHOWN_TEST_TEXT = 700
HIDDEN_MARKS_LIMIT = 40
#: the titles of the two excerpts, for output and (True) for a call test's results
_EXPECTED = {False: "Expected output", True: "Expected results"}
_ACTUAL = {False: "Your output", True: "What your code gave"}


def verdict_label(verdict: Verdict) -> str:
    """An emoji and a short human name for a verdict."""
    emoji, name = LABELS[verdict]
    return f"{emoji} {name}"


def _hidden_summary(tests: Sequence[TestView]) -> str | None:
    hidden = [t for t in tests if t.hidden]
    if not hidden:
        return None
    passed = sum(t.passed for t in hidden)
    marks = "".join("🟩" if t.passed else "🟥" for t in hidden)
    shown = marks if len(hidden) <= HIDDEN_MARKS_LIMIT else ""
    return f"Hidden tests: {passed}/{len(hidden)} passed {shown}".rstrip()


def _traceback(outcome: SubmissionOutcome) -> str | None:
    failing = next((t for t in outcome.tests if not t.passed), None)
    text = outcome.message or (failing.stderr if failing and not failing.hidden else None)
    if not text or not text.strip():
        return None
    return "\n".join(text.strip().splitlines()[-TRACEBACK_LINES:])


def _add_failing_test(embed: discord.Embed, test: TestView) -> None:
    """The failing visible test's input and, around where they first differ, both outputs (a
    call test's calls, with what each should give and what it gave)."""
    number = test.index + 1
    difference = test.difference
    calls = difference is not None and difference.unit is DiffUnit.CALL
    embed.add_field(
        name=f"Test {number} {'calls' if calls else 'input'}",
        value=code_block(test.input or "", SHOWN_TEST_TEXT),
        inline=False,
    )
    if difference is None:  # recorded before differences were located
        expected = code_block(test.expected or "", SHOWN_TEST_TEXT)
        actual = code_block(test.actual or "", SHOWN_TEST_TEXT)
    else:
        embed.add_field(name="Where it differs", value=difference_summary(difference), inline=False)
        expected = numbered_excerpt(difference.expected, difference.whitespace)
        actual = numbered_excerpt(difference.actual, difference.whitespace)
    embed.add_field(name=_EXPECTED[calls], value=expected, inline=False)
    embed.add_field(name=_ACTUAL[calls], value=actual, inline=False)


#: where a server's own task's points go: that server's boards only
ON_THIS_SERVER = "on this server's leaderboard"


def _gained(outcome: SubmissionOutcome) -> str:
    """A first solve's points, with what revealed hints cost and the daily bonus, e.g.
    "+24 points (2 hints: −16, +10 daily bonus)"."""
    details = []
    if outcome.hints_used:
        details.append(f"{count(outcome.hints_used, 'hint')}: −{outcome.hint_cost}")
    if outcome.daily_bonus:
        details.append(f"+{outcome.daily_bonus} daily bonus")
    extra = f" ({', '.join(details)})" if details else ""
    return f"+{outcome.points_gained} points{extra}"


def _rewards(outcome: SubmissionOutcome) -> str:
    if outcome.server_points is not None:
        return _server_rewards(outcome, outcome.server_points)
    if not outcome.accepted:
        return f"Total: {outcome.total_points} points"
    if not outcome.first_solve:
        return f"Already solved before, no new points. Total: {outcome.total_points} points"
    return f"{_gained(outcome)} · total {outcome.total_points} points"


def _server_rewards(outcome: SubmissionOutcome, here: int) -> str:
    """The points of a server's own task: on this server's leaderboard, not the global total."""
    if not outcome.accepted:
        return f"{here} points {ON_THIS_SERVER}"
    if not outcome.first_solve:
        return f"Already solved before, no new points. {here} points {ON_THIS_SERVER}"
    return f"{_gained(outcome)} {ON_THIS_SERVER} ({here} here)"


def verdict_embed(outcome: SubmissionOutcome, notes: Sequence[str] = ()) -> discord.Embed:
    """The learner's private verdict: tests, the first visible failure, error, rewards."""
    verdict = outcome.verdict
    embed = discord.Embed(
        title=clip(f"{verdict_label(verdict)} · {outcome.task_title}", TITLE_LIMIT),
        colour=COLOURS.get(verdict, discord.Colour.red()),
    )
    lines = []
    if outcome.tests:
        lines.append(
            f"Passed {outcome.passed_count}/{len(outcome.tests)} tests in {outcome.time_ms:.0f} ms."
        )
    elif verdict is Verdict.SANDBOX_ERROR:
        lines.append(outcome.message or "The grader could not run your code.")
    else:
        lines.append("Your code did not run on any test.")
    hidden = _hidden_summary(outcome.tests)
    if hidden:
        lines.append(hidden)
    embed.description = clip("\n".join(line for line in lines if line), DESCRIPTION_LIMIT)
    failing = next((t for t in outcome.tests if not t.passed and not t.hidden), None)
    if failing is not None:
        _add_failing_test(embed, failing)
    elif any(not t.passed for t in outcome.tests):
        embed.add_field(
            name="Hidden test failed",
            value="A hidden test failed; its data stays secret. Think about edge cases.",
            inline=False,
        )
    trace = _traceback(outcome) if verdict is not Verdict.SANDBOX_ERROR else None
    if trace:
        embed.add_field(name="Error", value=code_block(trace, FIELD_VALUE_LIMIT, tail=True))
    if verdict is not Verdict.SANDBOX_ERROR:
        embed.add_field(name="Points", value=_rewards(outcome), inline=True)
        embed.add_field(
            name="Streak", value=f"🔥 {count(outcome.streak_after, 'day')}", inline=True
        )
    if outcome.achievements:
        unlocked = "\n".join(
            f"{a.emoji} **{a.name}**: {a.description}" for a in outcome.achievements
        )
        embed.add_field(
            name="Achievements unlocked", value=clip(unlocked, FIELD_VALUE_LIMIT), inline=False
        )
    if notes:
        embed.add_field(name="Note", value=clip("\n".join(notes), FIELD_VALUE_LIMIT), inline=False)
    embed.set_footer(text=f"Submission #{outcome.submission_id} · task {outcome.task_slug}")
    return fit_embed(embed)


def solve_announcement(member_mention: str, outcome: SubmissionOutcome) -> str:
    """The one public line announcing a first solve (no code, no test data)."""
    gained = outcome.points_gained + outcome.daily_bonus
    where = f" {ON_THIS_SERVER}" if outcome.server_points is not None else ""
    return clip(
        f"🎉 {member_mention} solved **{outcome.task_title}** (+{gained} points{where}, "
        f"🔥 {outcome.streak_after}-day streak)",
        200,
    )
