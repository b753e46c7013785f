"""Learners as embeds: a profile and a leaderboard page; a learner's new time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord
from discord.utils import format_dt

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
from core.timezones import next_midnight
from core.zone_changes import ZoneChange, ZoneChangeStatus

PERIOD_NAMES = {
    Period.ALL: "all-time points",
    Period.WEEK: "points this week",
    Period.STREAK: "current streaks",
}
SHOWN_ACHIEVEMENTS = 15
SHOWN_SOLVES = 10


def profile_embed(profile: Profile, name: str, *, own: bool = False) -> discord.Embed:
    """A learner's points, rank, streaks, solved tasks and achievements; on their own profile,
    the time zone they chose (where they live stays theirs to tell others)."""
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
    if own and profile.own_zone:
        embed.add_field(name="Time zone", value=profile.own_zone, inline=True)
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


def zone_change_text(change: ZoneChange, now: datetime) -> str:
    """What became of a learner's request to change their time zone: the zone their days
    follow, its time now and when their day ends (as Discord timestamps, which each reader
    sees in their own clock), and when they may change it next."""
    zone = f"**{change.zone}**"
    if change.own_zone is None:
        zone = f"the server's time zone ({zone} here)"
    day_end = next_midnight(now, change.zone)
    local = now.astimezone(ZoneInfo(change.zone))
    day = (
        f"It is {local:%H:%M} on {local:%A} there; your day ends {format_dt(day_end, 'R')} "
        f"({format_dt(day_end, 't')} on your clock)."
    )
    next_change = (
        f"You can change it again {format_dt(change.next_change, 'R')}."
        if change.next_change
        else ""
    )
    lines = {
        ZoneChangeStatus.CHANGED: f"🕒 Your streak days now follow {zone}. {day}",
        ZoneChangeStatus.CLEARED: f"🕒 Your streak days follow {zone} again. {day}",
        ZoneChangeStatus.UNCHANGED: f"Your streak days already follow {zone}. {day}",
        ZoneChangeStatus.TOO_SOON: (
            "You changed your time zone less than a day ago, so it stays as it is: "
            f"your streak days follow {zone}. {day}"
        ),
    }
    return f"{lines[change.status]} {next_change}".strip()
