"""core.guild_overview: a server's next posts and curated tasks, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select

from core.content.files import read_content
from core.content.loader import load_content
from core.daily import choose_daily, daily_for, mark_posted, skip_daily
from core.db import session_scope
from core.guild_overview import (
    CuratedTasks,
    DayState,
    post_moment,
    server_overview,
)
from core.guilds import guild_settings, set_channel, set_post_time
from core.models import GLOBAL_CATALOGUE, GuildSettings, Task
from tests.support.bot_scene import write_content
from tests.support.databases import Sessions

GUILD = 42
#: 09:00 in Tokyo, an hour before the server's 10:00 post
NOW = datetime(2026, 5, 4, 0, 0, tzinfo=UTC)


@pytest.fixture
async def content(sessions: Sessions, tmp_path: Path) -> None:
    """The bot tests' tasks and achievements, and a server posting at 10:00 in Tokyo."""
    async with session_scope(sessions) as session:
        await load_content(session, read_content(write_content(tmp_path)))
        await set_post_time(session, GUILD, "10:00", "Asia/Tokyo")


def test_post_moments_follow_the_servers_zone_across_summer_time() -> None:
    berlin = GuildSettings(guild_id=GUILD, timezone="Europe/Berlin", post_time=time(9))
    assert post_moment(berlin, date(2026, 3, 28)) == datetime(2026, 3, 28, 8, tzinfo=UTC)
    assert post_moment(berlin, date(2026, 3, 29)) == datetime(2026, 3, 29, 7, tzinfo=UTC)


async def test_the_next_post_passes_posted_and_skipped_days(
    sessions: Sessions, content: None
) -> None:
    async with session_scope(sessions) as session:
        overview = await server_overview(session, GUILD, NOW, [])
        assert overview.next_post is None  # no challenge channel: nothing is posted
        assert overview.tomorrow.state is DayState.OPEN
        await set_channel(session, GUILD, 7)
    async with session_scope(sessions) as session:
        overview = await server_overview(session, GUILD, NOW, [])
        assert overview.next_post is not None
        assert (overview.next_post.day, overview.next_post.state) == (
            date(2026, 5, 4),
            DayState.OPEN,
        )
        assert overview.next_post.at == datetime(2026, 5, 4, 1, 0, tzinfo=UTC)
        mark_posted(await daily_for(session, GUILD, date(2026, 5, 4)), 1, NOW)
        await skip_daily(session, GUILD, date(2026, 5, 5))
        await choose_daily(session, GUILD, date(2026, 5, 6), "hard-echo")
    async with session_scope(sessions) as session:
        overview = await server_overview(session, GUILD, NOW, [])
        assert overview.tomorrow.state is DayState.SKIPPED
        assert overview.next_post is not None
        assert (overview.next_post.day, overview.next_post.state) == (
            date(2026, 5, 6),
            DayState.CHOSEN,
        )
        assert (overview.next_post.task_slug, overview.next_post.task_title) == (
            "hard-echo",
            "Hard echo",
        )


async def test_curated_tasks_are_the_servers_or_the_shared_catalogue(
    sessions: Sessions, content: None
) -> None:
    async with session_scope(sessions) as session:
        shout = await session.scalar(select(Task).where(Task.slug == "shout-twice"))
        assert shout is not None
        shout.owner_guild_id = GUILD
        await guild_settings(session, GUILD)
    async with session_scope(sessions) as session:
        own = await server_overview(session, GUILD, NOW, [])
        home = await server_overview(session, GUILD, NOW, [GUILD])
    assert own.tasks == CuratedTasks(GUILD, 1, 1, ("Shout twice",))
    assert not own.tasks.shared
    assert home.tasks == CuratedTasks(GLOBAL_CATALOGUE, 3, 2, ("Echo twice", "Hard echo"))
    assert home.tasks.shared
