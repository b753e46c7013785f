"""A learner's progress: every achievement (locked ones with how far along), and their history."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.command_mentions import Mentions
from bot.render.text import DESCRIPTION_LIMIT, TITLE_LIMIT, clip, fit_embed, pack_fields
from core.achievement_progress import AchievementStanding, Step
from core.history import HistoryEntry
from core.verdicts import SubmissionVerdict

#: a verdict as history shows it; pending ones are still being graded
VERDICT_MARKS = {
    SubmissionVerdict.PENDING: "⏳ Grading",
    SubmissionVerdict.ACCEPTED: "✅ Accepted",
    SubmissionVerdict.WRONG_ANSWER: "❌ Wrong answer",
    SubmissionVerdict.RUNTIME_ERROR: "💥 Runtime error",
    SubmissionVerdict.TIME_LIMIT: "⏱️ Time limit",
    SubmissionVerdict.MEMORY_LIMIT: "🧠 Memory limit",
    SubmissionVerdict.OUTPUT_LIMIT: "📜 Output limit",
    SubmissionVerdict.SYNTAX_ERROR: "🧩 Syntax error",
    SubmissionVerdict.SANDBOX_ERROR: "⚠️ Not graded",
}
BAR_CELLS = 10
LOCKED = "🔒"


def progress_bar(step: Step) -> str:
    """`▰▰▰▱▱▱▱▱▱▱ 3/10 tasks solved`."""
    filled = BAR_CELLS * step.current // step.target if step.target else BAR_CELLS
    return f"{'▰' * filled}{'▱' * (BAR_CELLS - filled)} {step.current}/{step.target} {step.measure}"


def _role(standing: AchievementStanding) -> str:
    return f" · grants <@&{standing.role_id}>" if standing.role_id else ""


def _unlocked(standing: AchievementStanding) -> str:
    assert standing.unlocked_at is not None
    when = f"<t:{int(standing.unlocked_at.timestamp())}:d>"
    return f"{standing.emoji} **{standing.name}**: {standing.description} · {when}{_role(standing)}"


def _locked(standing: AchievementStanding) -> str:
    bars = "\n".join(f"  {progress_bar(step)}" for step in standing.steps if not step.done)
    head = f"{LOCKED} **{standing.name}**: {standing.description}{_role(standing)}"
    return f"{head}\n{bars}" if bars else head


def achievements_embed(standings: Sequence[AchievementStanding], name: str) -> discord.Embed:
    """Every achievement: unlocked ones with when, locked ones with progress bars, each with
    the role it grants in this server."""
    unlocked = [s for s in standings if s.unlocked_at is not None]
    locked = [s for s in standings if s.unlocked_at is None]
    embed = discord.Embed(
        title=clip(f"{name}'s achievements: {len(unlocked)}/{len(standings)}", TITLE_LIMIT),
        colour=discord.Colour.gold(),
    )
    if not standings:
        embed.description = "There are no achievements yet."
    if unlocked:
        lines = [_unlocked(s) for s in unlocked]
        pack_fields(embed, f"Unlocked ({len(unlocked)})", lines, "More unlocked")
    if locked:
        lines = [_locked(s) for s in locked]
        pack_fields(embed, f"Still locked ({len(locked)})", lines, "More still locked")
    return fit_embed(embed)


def _history_line(entry: HistoryEntry) -> str:
    tests = f" · {entry.passed}/{entry.tests} tests" if entry.tests else ""
    took = f" · {entry.time_ms} ms" if entry.time_ms is not None else ""
    when = f"<t:{int(entry.created_at.timestamp())}:R>"
    return (
        f"{VERDICT_MARKS[entry.verdict]} · **{entry.task_title}** (`{entry.task_slug}`)"
        f"{tests}{took} · {when} · #{entry.id}"
    )


def history_embed(
    entries: Sequence[HistoryEntry],
    total: int,
    page: int,
    pages: int,
    task: str | None,
    mentions: Mentions,
) -> discord.Embed:
    """One page of the learner's submissions, newest first."""
    of_task = f" · {task}" if task else ""
    embed = discord.Embed(
        title=clip(f"Your submissions ({total}){of_task}", TITLE_LIMIT),
        colour=discord.Colour.blurple(),
    )
    if not entries:
        embed.description = f"No submissions yet. Send one with {mentions('submit')}."
        return embed
    embed.description = clip("\n".join(map(_history_line, entries)), DESCRIPTION_LIMIT)
    embed.set_footer(text=f"Page {page + 1}/{pages}")
    return embed
