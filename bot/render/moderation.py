"""A server's configuration as its moderators see it: `/mod settings` and the days ahead."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.command_mentions import Mentions
from bot.render.text import FIELD_VALUE_LIMIT, clip, fit_embed
from core.daily_mix import stored_mix
from core.guild_overview import CuratedTasks, DayState, PlannedDay, ServerOverview
from core.models import GuildSettings


def _moment(at: datetime) -> str:
    """A time every reader sees in their own zone, with how far away it is."""
    stamp = int(at.timestamp())
    return f"<t:{stamp}:f> (<t:{stamp}:R>)"


def planned_day_line(planned: PlannedDay, mentions: Mentions) -> str:
    """One day ahead of the server: when it is posted and with which task, or that it is
    skipped."""
    when = f"{planned.day.isoformat()}, {_moment(planned.at)}"
    task = f"**{planned.task_title}** (`{planned.task_slug}`)"
    match planned.state:
        case DayState.SKIPPED:
            return (
                f"{planned.day.isoformat()} is skipped: no challenge is posted that day "
                f"({mentions('mod tomorrow')} `skip:False` posts one again)."
            )
        case DayState.OPEN:
            return f"{when}: the task is drawn when it is posted."
        case DayState.POSTED:
            return f"{when}: {task}, already posted."
        case DayState.CHOSEN:
            return f"{when}: {task}."


def _channel(channel_id: int | None, unset: str) -> str:
    return f"<#{channel_id}>" if channel_id else unset


def _reports(settings: GuildSettings, mentions: Mentions) -> str:
    if settings.mod_log_channel_id:
        return f"<#{settings.mod_log_channel_id}>"
    how = mentions("mod log-channel")
    if settings.configured_by:
        return f"not set: problems go by DM to <@{settings.configured_by}> ({how})"
    return f"not set ({how})"


def _ping_role(settings: GuildSettings, mentions: Mentions) -> str:
    if settings.ping_role_id:
        return f"<@&{settings.ping_role_id}> (learners take it with the post's 🔔 button)"
    return f"none: the post pings nobody ({mentions('mod ping-role')})"


def _roles(settings: GuildSettings, mentions: Mentions) -> str:
    mapped = sorted((settings.achievement_roles or {}).items())
    if not mapped:
        return f"none ({mentions('mod role')})"
    lines = [f"`{achievement}` → <@&{role_id}>" for achievement, role_id in mapped]
    return clip("\n".join(lines), FIELD_VALUE_LIMIT)


def _tasks(tasks: CuratedTasks) -> str:
    where = (
        "This is a home server: its moderators curate the **shared catalogue**"
        if tasks.shared
        else "This server's own tasks (seen and scored only here)"
    )
    listed = ", ".join(tasks.published_titles) or "none published yet"
    more = "…" if tasks.published > len(tasks.published_titles) else ""
    return clip(
        f"{where}: {tasks.total} tasks, {tasks.published} published: {listed}{more}",
        FIELD_VALUE_LIMIT,
    )


def settings_embed(
    overview: ServerOverview, server_name: str, mentions: Mentions, problems: Sequence[str] = ()
) -> discord.Embed:
    """Everything a server's moderators configured, and what comes next, in one embed;
    `problems` (what keeps the bot from working in a configured channel) come first."""
    settings = overview.settings
    embed = discord.Embed(
        title=clip(f"Settings of {server_name}", 256), colour=discord.Colour.blurple()
    )
    if problems:
        embed.description = clip("\n".join(f"⚠️ {problem}" for problem in problems), 1000)
    unset = f"not set: nothing is posted ({mentions('mod channel')})"
    channel = _channel(settings.challenge_channel_id, unset)
    embed.add_field(name="Challenge channel", value=channel, inline=True)
    embed.add_field(
        name="Posting time", value=f"{settings.post_time:%H:%M} {settings.timezone}", inline=True
    )
    embed.add_field(name="Daily bonus", value=f"{settings.daily_bonus} points", inline=True)
    embed.add_field(
        name="Daily mix", value=clip(stored_mix(settings.daily_mix).describe(), 1000), inline=False
    )
    next_post = (
        planned_day_line(overview.next_post, mentions) if overview.next_post else "none planned"
    )
    embed.add_field(name="Next daily post", value=next_post, inline=False)
    embed.add_field(
        name="Tomorrow", value=planned_day_line(overview.tomorrow, mentions), inline=False
    )
    role = f"<@&{settings.moderator_role_id}>" if settings.moderator_role_id else "none"
    embed.add_field(name="Moderator role", value=f"{role} (and Manage Server)", inline=True)
    announce = "on" if settings.announce_solves else "off"
    embed.add_field(name="Solve announcements", value=announce, inline=True)
    embed.add_field(name="Ping role", value=_ping_role(settings, mentions), inline=True)
    embed.add_field(name="Mod log", value=_reports(settings, mentions), inline=True)
    embed.add_field(name="Achievement roles", value=_roles(settings, mentions), inline=False)
    embed.add_field(name="Tasks", value=_tasks(overview.tasks), inline=False)
    return fit_embed(embed)
