"""The cooldowns between a learner's submissions and between reports of one problem."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.app import create_bot
from bot.client import CodestreakBot
from core.cooldown import Cooldown
from core.counters import Counters
from core.db import create_engine, create_sessionmaker
from core.settings import Settings
from tests.fakediscord import (
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeUser,
    running_bot,
    running_fake,
)
from tests.support import databases
from tests.support.bot_scene import (
    ECHO_RIGHT,
    ECHO_WRONG,
    GRADING_TIMEOUT_S,
    PROGRAMS,
    acknowledged,
    bot_settings,
    content_database,
    embed_of,
)
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader

DOWN_REDIS = "redis://:codestreak@127.0.0.1:1/0"


async def test_cooldown_refuses_until_the_period_passed() -> None:
    cooldown = Cooldown(Counters("memory://"), "submit", 1.0)
    assert await cooldown.acquire(1) == 0.0
    assert 0.0 < await cooldown.acquire(1) <= 1.0
    assert await cooldown.acquire(2) == 0.0
    await asyncio.sleep(1.1)
    assert await cooldown.acquire(1) == 0.0


async def test_a_refused_attempt_does_not_count_and_a_release_forgets() -> None:
    cooldown = Cooldown(Counters("memory://"), "submit", 1.0)
    assert await cooldown.acquire(1) == 0.0
    await asyncio.sleep(0.6)
    assert await cooldown.acquire(1) > 0.0  # refused: the cooldown does not start again
    await asyncio.sleep(0.5)
    assert await cooldown.acquire(1) == 0.0
    await cooldown.release(1)
    assert await cooldown.acquire(1) == 0.0


async def test_cooldowns_in_one_storage_keep_their_keys_apart() -> None:
    counters = Counters("memory://")
    submissions = Cooldown(counters, "submit", 60.0)
    reports = Cooldown(counters, "moderator-report", 60.0)
    assert await submissions.acquire(7) == 0.0
    assert await reports.acquire(7) == 0.0
    assert await submissions.acquire(7) > 0.0


async def test_no_cooldown_when_its_period_is_zero() -> None:
    cooldown = Cooldown(Counters(DOWN_REDIS), "submit", 0.0)
    assert [await cooldown.acquire(1) for _ in range(3)] == [0.0, 0.0, 0.0]
    await cooldown.release(1)


async def test_a_storage_that_is_down_never_keeps_a_learner_from_submitting(
    caplog: pytest.LogCaptureFixture,
) -> None:
    counters = Counters(DOWN_REDIS)
    cooldown = Cooldown(counters, "submit", 60.0)
    assert await cooldown.acquire(1) == 0.0
    assert await cooldown.acquire(1) == 0.0
    await cooldown.release(1)
    await counters.aclose()
    assert "cooldown submit not applied" in caplog.text


@asynccontextmanager
async def shard_process(shard_id: int, storage_uri: str) -> AsyncIterator[CodestreakBot]:
    """A bot as one shard process of two builds it, counting cooldowns in `storage_uri`."""
    settings = Settings(
        _env_file=None,
        limits_storage_uri=storage_uri,
        submission_cooldown_s=60.0,
        discord_shard_count=2,
        discord_shard_ids=[shard_id],
    )
    engine = create_engine("sqlite+aiosqlite://")
    bot = create_bot(settings, create_sessionmaker(engine), ScriptedGrader())
    try:
        yield bot
    finally:
        await bot.services.counters.aclose()
        await engine.dispose()


async def test_the_submission_cooldown_holds_across_shard_processes_sharing_redis(
    redis_url: str,
) -> None:
    async with shard_process(0, redis_url) as first, shard_process(1, redis_url) as second:
        assert await first.services.cooldown.acquire(42) == 0.0
        assert 59.0 <= await second.services.cooldown.acquire(42) <= 60.0
        assert await second.services.cooldown.acquire(43) == 0.0
        await second.services.cooldown.release(42)
        assert await first.services.cooldown.acquire(42) == 0.0


async def test_reports_are_deduplicated_across_shard_processes_sharing_redis(
    redis_url: str,
) -> None:
    async with shard_process(0, redis_url) as first, shard_process(1, redis_url) as second:
        assert await first.services.reports.acquire("7:role 9") == 0.0
        assert await second.services.reports.acquire("7:role 9") > 0.0


async def test_in_memory_each_process_has_its_own_cooldowns() -> None:
    async with shard_process(0, "memory://") as first, shard_process(1, "memory://") as second:
        assert await first.services.cooldown.acquire(42) == 0.0
        assert await second.services.cooldown.acquire(42) == 0.0
        assert await first.services.cooldown.acquire(42) > 0.0


async def submit_file(fake: FakeDiscord, channel: FakeChannel, user: FakeUser, code: str) -> str:
    """/submit echo-twice with `code` attached in `channel`; the reply's text or embed title."""
    attachment = fake.make_attachment("solution.py", code)
    options = {"task": "echo-twice", "file": attachment}
    record = await fake.send_slash(channel, user, "submit", options)
    await acknowledged(record)
    reply = await record.wait_for_response(GRADING_TIMEOUT_S)
    return reply.content or str(embed_of(reply)["title"])


def shard_bot(
    fake: FakeDiscord, guild: FakeGuild, sessions: Sessions, shard_id: int, storage_uri: str
) -> CodestreakBot:
    """Shard `shard_id` of two as its own process runs it; shard 0 syncs the commands."""
    settings = bot_settings(
        fake,
        guild,
        discord_guild_ids=[],
        discord_shard_count=2,
        discord_shard_ids=[shard_id],
        discord_sync_commands=shard_id == 0,
        limits_storage_uri=storage_uri,
        submission_cooldown_s=60.0,
    )
    grader = ScriptedGrader(programs=PROGRAMS)
    return create_bot(settings, sessions, grader, guild_ready_timeout=0.1)


async def test_a_learner_cooling_down_on_one_shard_is_told_so_by_the_other(
    redis_url: str, sqlite_template: Path, tmp_path: Path
) -> None:
    url = databases.sqlite_copy(sqlite_template, tmp_path)
    async with content_database(url, tmp_path) as sessions, running_fake() as fake:
        guilds = [fake.create_guild(f"on shard {n}", shard=(n, 2)) for n in (0, 1)]
        channels = [fake.add_text_channel(guild, "general") for guild in guilds]
        learner = fake.add_member(guilds[0], "ada").user
        fake.join_guild(guilds[1], learner)
        shards = [shard_bot(fake, guilds[0], sessions, n, redis_url) for n in (0, 1)]
        try:
            async with running_bot(fake, shards[0]), running_bot(fake, shards[1]):
                await fake.wait_for_command_sync()
                first = await submit_file(fake, channels[0], learner, ECHO_WRONG)
                second = await submit_file(fake, channels[1], learner, ECHO_RIGHT)
                other = fake.add_member(guilds[1], "grace").user
                third = await submit_file(fake, channels[1], other, ECHO_RIGHT)
        finally:
            for bot in shards:
                await bot.services.counters.aclose()
    assert first.startswith("❌")
    assert second.startswith("⏳ Not so fast: you can submit again in ")
    assert third.startswith("✅")
    fake.assert_no_violations()
