"""Learners as embeds: a profile and a leaderboard page."""

from __future__ import annotations

import discord

from bot.render.text import (
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    clip,
    count,
    fit_embed,
)
from core.leaderboards import Entry, Period
from core.profiles import Profile
from core.streaks import STREAK_RULE

PERIOD_NAMES = {
    Period.ALL: "all-time points",
    Period.WEEK: "points this week",
    Period.STREAK: "current streaks",
}
SHOWN_ACHIEVEMENTS = 15
SHOWN_SOLVES = 10


def profile_embed(profile: Profile, name: str) -> discord.Embed:
    """A learner's points, rank, streaks, solved tasks and achievements."""
    embed = discord.Embed(
        title=clip(f"{name}'s profile", TITLE_LIMIT), colour=discord.Colour.teal()
    )
    rank = f"#{profile.rank.rank}" if profile.rank else "unranked"
    embed.add_field(name="Points", value=f"{profile.points} ({rank})", inline=True)
    embed.add_field(
        name="Streak",
        value=f"🔥 {count(profile.current_streak, 'day')} (best {profile.best_streak})",
        inline=True,
    )
    by_difficulty = ", ".join(
        f"{count} {difficulty}"
        for difficulty, count in sorted(profile.solved_by_difficulty.items())
    )
    embed.add_field(
        name="Solved",
        value=f"{profile.solved_total} tasks" + (f" ({by_difficulty})" if by_difficulty else ""),
        inline=True,
    )
    if profile.solved:
        recent = [f"{s.title} ({s.difficulty})" for s in profile.solved[-SHOWN_SOLVES:]]
        embed.add_field(
            name="Latest solves", value=clip("\n".join(reversed(recent)), FIELD_VALUE_LIMIT)
        )
    if profile.achievements:
        shown = [f"{a.emoji} {a.name}" for a in profile.achievements[-SHOWN_ACHIEVEMENTS:]]
        embed.add_field(
            name=f"Achievements ({len(profile.achievements)})",
            value=clip("\n".join(shown), FIELD_VALUE_LIMIT),
        )
    embed.set_footer(text=STREAK_RULE)
    return fit_embed(embed)


def leaderboard_embed(
    entries: list[Entry], mine: Entry | None, scope: str, period: Period
) -> discord.Embed:
    """A leaderboard's top entries and, when outside them, the invoker's own place."""
    title = f"Leaderboard · {scope} · {PERIOD_NAMES[period]}"
    unit = "day" if period is Period.STREAK else "pt"
    lines = [
        f"**{e.rank}.** {discord.utils.escape_markdown(e.display_name)} · {count(e.value, unit)}"
        for e in entries
    ]
    if not lines:
        lines.append("Nobody is on this leaderboard yet. Solve a task to be the first!")
    if mine is not None and all(e.user_id != mine.user_id for e in entries):
        lines.append(f"…\n**{mine.rank}.** you · {count(mine.value, unit)}")
    return discord.Embed(
        title=clip(title, TITLE_LIMIT),
        description=clip("\n".join(lines), DESCRIPTION_LIMIT),
        colour=discord.Colour.gold(),
    )
