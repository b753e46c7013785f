"""core.guilds: validating moderators' settings and finding due daily posts, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select

from core.content.files import read_content
from core.content.loader import load_content
from core.db import session_scope
from core.guilds import (
    RoleMapping,
    SettingRefused,
    due_dailies,
    earned_roles,
    guild_settings,
    map_achievement_role,
    parse_post_time,
    parse_timezone,
    record_configuration,
    role_mappings,
    set_channel,
    set_mod_log_channel,
    set_post_time,
    timezone_choices,
)
from core.learners import learner_for_discord
from core.models import Achievement, UserAchievement
from tests.support.bot_scene import write_content
from tests.support.databases import Sessions

GUILD = 42


@pytest.mark.parametrize(
    ("text", "expected"), [("09:00", time(9)), ("7:05", time(7, 5)), (" 23:59 ", time(23, 59))]
)
def test_post_times(text: str, expected: time) -> None:
    assert parse_post_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "9", "09:60", "nine", "09:00:00", ""])
def test_bad_post_times_are_refused(text: str) -> None:
    with pytest.raises(SettingRefused, match="24-hour HH:MM"):
        parse_post_time(text)


def test_time_zones() -> None:
    assert parse_timezone("Europe/Berlin") == "Europe/Berlin"
    for bad in ["Mars/Olympus", "../etc/passwd", ""]:
        with pytest.raises(SettingRefused, match="not a known time zone"):
            parse_timezone(bad)
    assert "America/New_York" in timezone_choices("new_y")
    assert len(timezone_choices("")) == 25


@pytest.fixture
async def content(sessions: Sessions, tmp_path: Path) -> None:
    """The bot tests' tasks and achievements."""
    async with session_scope(sessions) as session:
        await load_content(session, read_content(write_content(tmp_path)))


async def test_settings_and_due_posts(sessions: Sessions, content: None) -> None:
    now = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
    async with session_scope(sessions) as session:
        assert (await guild_settings(session, GUILD)).post_time == time(9)
        assert await due_dailies(session, now) == []
        await set_channel(session, GUILD, 7)
        await set_post_time(session, GUILD, "10:00", "Asia/Tokyo")  # 01:00 UTC
    async with session_scope(sessions) as session:
        (due,) = await due_dailies(session, now)
        assert (due.guild_id, due.channel_id, due.day.isoformat()) == (GUILD, 7, "2026-05-04")
        with pytest.raises(SettingRefused):
            await map_achievement_role(session, GUILD, "nope", 1)
        await map_achievement_role(session, GUILD, "first-solve", 99)
    async with session_scope(sessions) as session:
        settings = await guild_settings(session, GUILD)
        assert settings.achievement_roles == {"first-solve": 99}


async def test_mod_log_channel_and_who_configured_the_server(sessions: Sessions) -> None:
    async with session_scope(sessions) as session:
        await set_mod_log_channel(session, GUILD, 11)
        await record_configuration(session, GUILD, "Training Ground", 5)
    async with session_scope(sessions) as session:
        settings = await guild_settings(session, GUILD)
        assert (settings.mod_log_channel_id, settings.name, settings.configured_by) == (
            11,
            "Training Ground",
            5,
        )
        await set_mod_log_channel(session, GUILD, None)
    async with session_scope(sessions) as session:
        assert (await guild_settings(session, GUILD)).mod_log_channel_id is None


async def test_role_mappings_list_the_servers_holders(sessions: Sessions, content: None) -> None:
    async with session_scope(sessions) as session:
        assert await role_mappings(session, GUILD) == []
        await map_achievement_role(session, GUILD, "first-solve", 99)
        await map_achievement_role(session, GUILD, "two-solves", 98)
        achievement = await session.scalar(
            select(Achievement.id).where(Achievement.slug == "first-solve")
        )
        assert achievement is not None
        here = await learner_for_discord(session, 1001, "here", GUILD)
        elsewhere = await learner_for_discord(session, 1002, "elsewhere", GUILD + 1)
        for user in (here, elsewhere):
            session.add(UserAchievement(user_id=user.id, achievement_id=achievement))
    async with session_scope(sessions) as session:
        assert await role_mappings(session, GUILD) == [
            RoleMapping("first-solve", "First Solve", 99, (1001,)),
            RoleMapping("two-solves", "Two Solves", 98, ()),
        ]


async def test_earned_roles_are_the_servers_roles_of_the_learners_achievements(
    sessions: Sessions, content: None
) -> None:
    async with session_scope(sessions) as session:
        learner = await learner_for_discord(session, 1003, "ada", GUILD + 1)
        assert await earned_roles(session, GUILD, 1003) == []  # nothing mapped
        await map_achievement_role(session, GUILD, "first-solve", 99)
        await map_achievement_role(session, GUILD, "two-solves", 98)
        achievement = await session.scalar(
            select(Achievement.id).where(Achievement.slug == "first-solve")
        )
        assert achievement is not None
        # unlocked away from this server (on the site, or in another one)
        session.add(UserAchievement(user_id=learner.id, achievement_id=achievement))
    async with session_scope(sessions) as session:
        assert await earned_roles(session, GUILD, 1003) == [("First Solve", 99)]
        assert await earned_roles(session, GUILD + 1, 1003) == []
        assert await earned_roles(session, GUILD, 1004) == []
