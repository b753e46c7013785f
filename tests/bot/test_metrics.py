"""The bot's metrics: daily posts made and failed, gateway latency per shard and reconnects.

The real bot runs against the fake Discord; what it counts is read from the process's
exposition, before and after each event.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import discord
import pytest

from core.db import session_scope
from core.guilds import set_channel, set_post_time
from core.metrics import DailyPostOutcome
from tests.fakediscord import FakeChannel, FakeDiscord, FakeGuild, running_fake
from tests.support.bot_scene import bot_on, content_database
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.metrics import exposition, sample

DAILY_POSTS = "codestreak_daily_posts_total"
RECONNECTS = "codestreak_gateway_reconnects_total"
LATENCY = "codestreak_gateway_latency_seconds"
#: Monday 10:00 UTC: the 09:00 post is due
NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@dataclass
class DailyScene:
    """A server whose daily challenge is due in #challenges, and a database with content."""

    fake: FakeDiscord
    guild: FakeGuild
    channel: FakeChannel
    sessions: Sessions


@pytest.fixture
async def daily(database_url: str, tmp_path: Path) -> AsyncIterator[DailyScene]:
    """A running fake Discord and a database whose server's post is due."""
    async with (
        content_database(database_url, tmp_path) as sessions,
        running_fake() as fake,
    ):
        guild = fake.create_guild("Metrics Server")
        channel = fake.add_text_channel(guild, "challenges")
        async with session_scope(sessions) as session:
            await set_channel(session, guild.id, channel.id)
            await set_post_time(session, guild.id, "09:00", "UTC")
        yield DailyScene(fake, guild, channel, sessions)


def _posts(outcome: DailyPostOutcome) -> float:
    return sample(exposition(), DAILY_POSTS, outcome=outcome.value)


async def test_a_daily_post_made_is_counted(daily: DailyScene) -> None:
    before = (_posts(DailyPostOutcome.POSTED), _posts(DailyPostOutcome.FAILED))
    async with bot_on(daily.fake, daily.guild, daily.sessions, ScriptedGrader(), clock=lambda: NOW):
        await daily.fake.wait_for_bot_message(daily.channel)
        await daily.fake.wait_until(
            lambda: _posts(DailyPostOutcome.POSTED) > before[0] or None, what="the count"
        )
    assert _posts(DailyPostOutcome.POSTED) == before[0] + 1
    assert _posts(DailyPostOutcome.FAILED) == before[1]


async def test_a_daily_post_discord_refuses_is_counted_as_failed(daily: DailyScene) -> None:
    deny = discord.Permissions(send_messages=True).value
    daily.fake.set_channel_overwrite(daily.channel, daily.fake.bot_top_role(daily.guild), deny=deny)
    before = (_posts(DailyPostOutcome.POSTED), _posts(DailyPostOutcome.FAILED))
    async with bot_on(daily.fake, daily.guild, daily.sessions, ScriptedGrader(), clock=lambda: NOW):
        await daily.fake.wait_until(
            lambda: _posts(DailyPostOutcome.FAILED) > before[1] or None, what="the failure"
        )
    assert _posts(DailyPostOutcome.POSTED) == before[0]
    assert daily.fake.bot_messages_in(daily.channel) == []


async def test_gateway_latency_and_a_reconnect_are_reported(daily: DailyScene) -> None:
    async with bot_on(daily.fake, daily.guild, daily.sessions, ScriptedGrader(), clock=lambda: NOW):
        latency = await daily.fake.wait_until(
            lambda: sample(exposition(), LATENCY, shard="0") or None, what="a heartbeat"
        )
        assert 0 < latency < 5
        before = sample(exposition(), RECONNECTS)
        await daily.fake.disconnect_bot()
        await daily.fake.wait_until(
            lambda: daily.fake.gateway.resume_count or None, what="the bot to resume"
        )
        await daily.fake.wait_until(
            lambda: sample(exposition(), RECONNECTS) > before or None, what="the count"
        )
        assert sample(exposition(), RECONNECTS) == before + 1
