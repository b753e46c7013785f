"""Servers as moderators run them: settings, moderators, task curation and the daily schedule.

Everything a chat front end needs to configure a server, independent of any chat library:
setting the challenge channel, the posting time and zone, the moderator role, achievement
roles and solve announcements; publishing tasks; and finding which daily posts are due.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.catalog import TaskDetail, task_detail_by_id
from core.daily import daily_for, find_daily, mark_posted
from core.daily_mix import DailyMix, stored_mix
from core.designer.lifecycle import DesignerRefused, set_published
from core.models import (
    Achievement,
    DailyPost,
    GuildMember,
    GuildSettings,
    Task,
    User,
    UserAchievement,
)
from core.streaks import local_day
from core.timezones import UnknownZone, parse_zone, zone_choices, zone_or_default

TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class SettingRefused(ValueError):
    """A moderator's change was refused; the message says why and what to do."""


async def guild_settings(session: AsyncSession, guild_id: int) -> GuildSettings:
    """A server's settings, created with the defaults on first use (safe when two race)."""
    settings = await session.get(GuildSettings, guild_id)
    if settings is not None:
        return settings
    try:
        async with session.begin_nested():
            settings = GuildSettings(guild_id=guild_id, achievement_roles={})
            session.add(settings)
        return settings
    except IntegrityError:
        found = await session.get(GuildSettings, guild_id, populate_existing=True)
        assert found is not None
        return found


async def set_channel(session: AsyncSession, guild_id: int, channel_id: int) -> GuildSettings:
    """Post the daily challenge (and moderator notes) in this channel."""
    settings = await guild_settings(session, guild_id)
    settings.challenge_channel_id = channel_id
    return settings


async def set_mod_log_channel(
    session: AsyncSession, guild_id: int, channel_id: int | None
) -> GuildSettings:
    """Report the problems the bot meets (a failed daily post, a role it cannot grant) in this
    channel; None clears it, and reports go by DM to whoever configured the server last."""
    settings = await guild_settings(session, guild_id)
    settings.mod_log_channel_id = channel_id
    return settings


async def record_configuration(
    session: AsyncSession, guild_id: int, name: str, configured_by: int
) -> GuildSettings:
    """Remember the server's name and the Discord account that changed its settings last (the
    moderator told by DM when no channel can take a report)."""
    settings = await guild_settings(session, guild_id)
    settings.name = name
    settings.configured_by = configured_by
    return settings


def parse_post_time(text: str) -> time:
    """A 24-hour `HH:MM` time, or SettingRefused explaining the format."""
    match = TIME_PATTERN.match(text.strip())
    if match is None:
        raise SettingRefused(f"'{text}' is not a time; use 24-hour HH:MM, for example 09:00.")
    return time(int(match.group(1)), int(match.group(2)))


def parse_timezone(name: str) -> str:
    """A time zone name such as `Europe/Berlin` (see `core.timezones.parse_zone`), or
    SettingRefused."""
    try:
        return parse_zone(name)
    except UnknownZone as error:
        raise SettingRefused(str(error)) from error


def timezone_choices(text: str, limit: int = 25) -> list[str]:
    """Time zone names matching `text`, for pickers."""
    return zone_choices(text, limit)


async def set_post_time(
    session: AsyncSession, guild_id: int, text: str, timezone: str | None = None
) -> GuildSettings:
    """Post the daily challenge at `text` (HH:MM) in `timezone` (kept when not given)."""
    when = parse_post_time(text)
    zone = parse_timezone(timezone) if timezone else None
    settings = await guild_settings(session, guild_id)
    settings.post_time = when
    if zone is not None:
        settings.timezone = zone
    return settings


async def set_moderator_role(
    session: AsyncSession, guild_id: int, role_id: int | None
) -> GuildSettings:
    """Members with this role may use the moderator commands (besides Manage Server)."""
    settings = await guild_settings(session, guild_id)
    settings.moderator_role_id = role_id
    return settings


async def set_daily_mix(session: AsyncSession, guild_id: int, mix: DailyMix | None) -> DailyMix:
    """Give the server's challenges of the days not yet chosen the difficulties of `mix` (None:
    the default mix for beginners); return the mix now in force."""
    settings = await guild_settings(session, guild_id)
    settings.daily_mix = None if mix is None else mix.to_json()
    return stored_mix(settings.daily_mix)


async def set_announce_solves(session: AsyncSession, guild_id: int, enabled: bool) -> GuildSettings:
    """Whether first solves are announced publicly in the server."""
    settings = await guild_settings(session, guild_id)
    settings.announce_solves = enabled
    return settings


async def map_achievement_role(
    session: AsyncSession, guild_id: int, slug: str, role_id: int
) -> Achievement:
    """Grant `role_id` in this server when the achievement `slug` is unlocked.

    Only mapped roles are ever granted; whether a role is fit to be one is the chat front
    end's to check before mapping it.
    """
    achievement = await session.scalar(select(Achievement).where(Achievement.slug == slug))
    if achievement is None:
        raise SettingRefused(f"There is no achievement '{slug}'. Pick one from the list.")
    settings = await guild_settings(session, guild_id)
    settings.achievement_roles = {**(settings.achievement_roles or {}), slug: role_id}
    return achievement


async def achievement_holders(session: AsyncSession, guild_id: int, slug: str) -> list[int]:
    """Discord ids of the server's learners who unlocked the achievement `slug`."""
    rows = await session.scalars(
        select(User.discord_id)
        .join(UserAchievement, UserAchievement.user_id == User.id)
        .join(Achievement, Achievement.id == UserAchievement.achievement_id)
        .join(GuildMember, GuildMember.user_id == User.id)
        .where(
            Achievement.slug == slug,
            GuildMember.guild_id == guild_id,
            User.discord_id.is_not(None),
        )
        .order_by(User.id)
    )
    return [discord_id for discord_id in rows if discord_id is not None]


@dataclass(frozen=True, slots=True)
class RoleMapping:
    """An achievement that grants a role in a server, and the members who unlocked it."""

    achievement: str
    name: str
    role_id: int
    holders: tuple[int, ...]


async def role_mappings(session: AsyncSession, guild_id: int) -> list[RoleMapping]:
    """Every achievement→role mapping of the server with its holders (Discord ids), by
    achievement name; a mapping whose achievement no longer exists is left out."""
    settings = await find_guild_settings(session, guild_id)
    mapped = dict(settings.achievement_roles or {}) if settings else {}
    if not mapped:
        return []
    names = await session.execute(
        select(Achievement.slug, Achievement.name)
        .where(Achievement.slug.in_(mapped))
        .order_by(Achievement.name)
    )
    return [
        RoleMapping(
            slug, name, mapped[slug], tuple(await achievement_holders(session, guild_id, slug))
        )
        for slug, name in names.all()
    ]


async def earned_roles(
    session: AsyncSession, guild_id: int, discord_id: int
) -> list[tuple[str, int]]:
    """(achievement name, role id) of the server's achievement roles that the learner behind a
    Discord account has earned, wherever they unlocked the achievement (the site, a submission
    in another server), by achievement name."""
    settings = await find_guild_settings(session, guild_id)
    mapped = dict(settings.achievement_roles or {}) if settings else {}
    if not mapped:
        return []
    names = await session.execute(
        select(Achievement.slug, Achievement.name)
        .join(UserAchievement, UserAchievement.achievement_id == Achievement.id)
        .join(User, User.id == UserAchievement.user_id)
        .where(User.discord_id == discord_id, Achievement.slug.in_(mapped))
        .order_by(Achievement.name)
    )
    return [(name, mapped[slug]) for slug, name in names.all()]


async def achievement_choices(
    session: AsyncSession, text: str, limit: int = 25
) -> list[tuple[str, str]]:
    """(slug, name) of achievements whose slug or name contains `text`, for pickers."""
    pattern = f"%{text.strip().lower()}%"
    rows = await session.execute(
        select(Achievement.slug, Achievement.name)
        .where(
            or_(
                func.lower(Achievement.slug).like(pattern),
                func.lower(Achievement.name).like(pattern),
            )
        )
        .order_by(Achievement.slug)
        .limit(limit)
    )
    return [(slug, name) for slug, name in rows]


async def set_task_published(
    session: AsyncSession, slug: str, published: bool, moderator_id: int, owner: int
) -> Task:
    """Publish or unpublish a task of `owner` (the catalogue the moderator curates) exactly as
    the website's designer does: as a new version, and only a version that passed validation
    can be published. SettingRefused says why not."""
    try:
        return await set_published(session, slug, published, moderator_id, owner)
    except DesignerRefused as refusal:
        raise SettingRefused(str(refusal)) from refusal


def local_now(settings: GuildSettings, now: datetime) -> datetime:
    """`now` in the server's time zone."""
    return now.astimezone(ZoneInfo(zone_or_default(settings.timezone)))


def due_day(settings: GuildSettings, now: datetime) -> date | None:
    """The server's local date when its daily post time has passed today, else None."""
    local = local_now(settings, now)
    return local.date() if local.time() >= settings.post_time else None


@dataclass(frozen=True, slots=True)
class DueDaily:
    """A server whose daily challenge for `day` should be in `channel_id` but is not yet."""

    guild_id: int
    channel_id: int
    day: date


@dataclass(frozen=True, slots=True)
class Shards:
    """The gateway shards a bot process runs: `ids` out of `count`.

    Discord puts the server `guild_id` on shard `(guild_id >> 22) % count`.
    """

    count: int
    ids: tuple[int, ...]


async def due_dailies(
    session: AsyncSession, now: datetime, shards: Shards | None = None
) -> list[DueDaily]:
    """Every configured server (of `shards` only, when given) whose post time has passed and
    whose post is not yet made (a day its moderators skipped is never due)."""
    query = select(GuildSettings).where(GuildSettings.challenge_channel_id.is_not(None))
    if shards is not None:
        shard = GuildSettings.guild_id.op(">>")(22) % shards.count
        query = query.where(shard.in_(shards.ids))
    due = []
    for settings in await session.scalars(query):
        day = due_day(settings, now)
        if day is None or settings.challenge_channel_id is None:
            continue
        post = await find_daily(session, settings.guild_id, day)
        if post is None or (post.posted_at is None and not post.skipped):
            due.append(DueDaily(settings.guild_id, settings.challenge_channel_id, day))
    return due


@dataclass(frozen=True, slots=True)
class DailyChallenge:
    """A server's daily challenge on a date: the post record's id, state and the task."""

    post_id: int
    day: date
    message_id: int | None
    task: TaskDetail


async def daily_challenge(
    session: AsyncSession, guild_id: int, day: date, user_id: int | None = None
) -> DailyChallenge:
    """The daily challenge of a server on a date (a global task or the server's own), chosen
    and recorded on first request.

    Raises core.daily.NoDailyChallenge (NoPublishedTasks when there is nothing to choose from,
    DaySkipped when moderators skipped the day).
    """
    post = await daily_for(session, guild_id, day)
    detail = await task_detail_by_id(session, post.task_id, user_id)
    assert detail is not None  # a task's daily posts are deleted with it
    return DailyChallenge(post.id, day, post.message_id, detail)


async def record_daily_posted(
    session: AsyncSession, post_id: int, message_id: int, when: datetime | None = None
) -> None:
    """Record that the daily challenge message was sent, ending the claim on it (never
    overwrites an earlier record)."""
    post = await session.get(DailyPost, post_id, with_for_update=True, populate_existing=True)
    if post is not None and post.posted_at is None:
        mark_posted(post, message_id, when)


async def find_guild_settings(session: AsyncSession, guild_id: int) -> GuildSettings | None:
    """A server's settings when moderators configured anything, else None (defaults apply)."""
    return await session.get(GuildSettings, guild_id)


async def today_for(session: AsyncSession, guild_id: int, now: datetime) -> date:
    """The server's local date."""
    zone = await session.scalar(
        select(GuildSettings.timezone).where(GuildSettings.guild_id == guild_id)
    )
    return local_day(now, zone_or_default(zone))
