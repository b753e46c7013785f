"""What reminders and `/remind` say; times are Discord timestamps, shown in each reader's zone."""

from __future__ import annotations

import discord

from bot.command_mentions import Mentions
from core.reminder_settings import ReminderPlan, ZoneSource
from core.reminders import DueReminder, ServerDaily
from core.time_of_day import shown

#: how every reminder starts, so that a later attempt can find one already sent
REMINDER_MARK = "🔥 Your **"

ZONE_SOURCES = {
    ZoneSource.OWN: "your own zone",
    ZoneSource.SERVER: "your server's zone",
    ZoneSource.DEFAULT: "no zone is set, so UTC",
}


def _day_ends(due: DueReminder) -> str:
    return (
        f"{REMINDER_MARK}{due.streak}-day streak** is waiting for today's solve: your day ends "
        f"{discord.utils.format_dt(due.day_ends, 'R')} "
        f"({discord.utils.format_dt(due.day_ends, 't')})."
    )


def reminder_dm(
    due: DueReminder, daily: ServerDaily | None, server: str | None, mentions: Mentions
) -> str:
    """The reminder sent by DM: the streak, when the day ends, today's challenge of the
    learner's server when it was posted, and how to stop."""
    lines = [_day_ends(due)]
    if daily is not None:
        where = f" in **{server}**" if server else ""
        lines.append(
            f"📅 Today's challenge{where}: **{daily.title}**, solve it with "
            f"{mentions('submit')} `task:{daily.slug}`."
        )
    lines.append(f"Any task you have not solved yet counts too: {mentions('tasks')}.")
    lines.append(f"🔕 No more reminders: {mentions('remind off')}")
    return "\n".join(lines)


def reminder_mention(due: DueReminder, mentions: Mentions) -> str:
    """The reminder in the day's thread, for a learner whose DMs are closed."""
    return (
        f"<@{due.discord_id}> {_day_ends(due)} This thread's challenge keeps it "
        f"({mentions('submit')}). I could not DM you; no more reminders: "
        f"{mentions('remind off')}"
    )


def plan_text(plan: ReminderPlan, mentions: Mentions) -> str:
    """`/remind`'s answer: whether reminders are on, when the next one comes, in which zone,
    and how to change any of it."""
    zone = f"{plan.zone}, {ZONE_SOURCES[plan.zone_source]}"
    if not plan.enabled:
        return (
            f"🔕 Streak reminders are **off**. Turn them on with {mentions('remind on')}: "
            f"they come at **{shown(plan.at)}** your time ({zone})."
        )
    next_at = plan.next_at
    lines = [
        f"🔔 Streak reminders are **on**, at **{shown(plan.at)}** your time ({zone}).",
        f"Next one: {discord.utils.format_dt(next_at, 'f')} "
        f"({discord.utils.format_dt(next_at, 'R')}), if your streak is alive then and that "
        "day does not count yet. Never more than one a day.",
    ]
    if plan.streak == 0:
        lines.append(
            f"You have no streak to keep right now: solve a task ({mentions('tasks')}) to "
            "start one."
        )
    lines.append(
        f"Change the time with {mentions('remind time')}, your zone with "
        f"{mentions('profile')} `timezone:`, or stop with {mentions('remind off')}."
    )
    return "\n".join(lines)
