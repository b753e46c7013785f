"""The bot at scale: shard processes that each hold their servers, one process syncing commands,
and a daily scheduler that asks only for its shards' servers."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import discord
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import create_bot
from bot.client import CodestreakBot
from bot.exts.daily import DailyScheduler
from core import guilds
from core.guilds import DueDaily, Shards
from tests.fakediscord import FakeDiscord, FakeGuild, running_bot, running_fake
from tests.support import databases
from tests.support.bot_scene import bot_settings, content_database
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader


@asynccontextmanager
async def shard_process(
    fake: FakeDiscord,
    servers: list[FakeGuild],
    sessions: Sessions,
    **settings: object,
) -> AsyncIterator[CodestreakBot]:
    """A bot process on `fake` (its commands for `servers`), with these shard settings."""
    bot = create_bot(
        bot_settings(fake, servers[0], discord_guild_ids=[s.id for s in servers], **settings),
        sessions,
        ScriptedGrader(),
        guild_ready_timeout=0.1,
    )
    async with running_bot(fake, bot):
        yield bot


@pytest.fixture
async def sessions(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Sessions]:
    """A migrated SQLite database with the test content."""
    async with content_database(databases.sqlite_copy(sqlite_template, tmp_path), tmp_path) as s:
        yield s


def held(bot: discord.Client) -> set[int]:
    """The servers a bot process holds."""
    return {guild.id for guild in bot.guilds}


@pytest.fixture
def scheduled(monkeypatch: pytest.MonkeyPatch) -> list[Shards | None]:
    """The shards every daily scheduler's pass asks the database about, in order."""
    asked: list[Shards | None] = []
    schedule = guilds.due_dailies

    async def due_dailies(
        session: AsyncSession, now: datetime, shards: Shards | None = None
    ) -> list[DueDaily]:
        asked.append(shards)
        return await schedule(session, now, shards)

    monkeypatch.setattr("bot.exts.daily._cog.due_dailies", due_dailies)
    return asked


async def check_daily(bot: CodestreakBot) -> None:
    """One pass of the bot's daily scheduler."""
    scheduler = bot.get_cog("DailyScheduler")
    assert isinstance(scheduler, DailyScheduler)
    await scheduler.check()


async def test_shard_processes_hold_their_servers_answer_theirs_and_one_syncs_commands(
    sessions: Sessions, scheduled: list[Shards | None]
) -> None:
    async with running_fake() as fake:
        servers = [fake.create_guild(f"Shard {i}", shard=(i, 2)) for i in range(2)]
        channels = [fake.add_text_channel(server, "general") for server in servers]
        ada = fake.add_member(servers[0], "ada")
        fake.join_guild(servers[1], ada.user)
        async with shard_process(
            fake,
            servers,
            sessions,
            discord_shard_count=2,
            discord_shard_ids=[1],
            discord_sync_commands=False,
        ) as one:
            assert fake.command_syncs == []  # a process that does not sync leaves commands alone
            async with shard_process(
                fake, servers, sessions, discord_shard_count=2, discord_shard_ids=[0]
            ) as zero:
                for server in servers:
                    await fake.wait_for_command_sync(server)
                heard: dict[int, list[int | None]] = {0: [], 1: []}
                for shard, bot in ((0, zero), (1, one)):

                    async def note(interaction: discord.Interaction, shard: int = shard) -> None:
                        heard[shard].append(interaction.guild_id)

                    bot.add_listener(note, "on_interaction")
                for channel in channels:
                    record = await fake.send_slash(channel, ada, "tasks")
                    await record.wait_for_response()
                assert (held(zero), held(one)) == ({servers[0].id}, {servers[1].id})
                scheduled.clear()
                await check_daily(zero)
                await check_daily(one)
    assert heard == {0: [servers[0].id], 1: [servers[1].id]}
    assert Counter(fake.command_syncs) == Counter(server.id for server in servers)  # once each
    assert scheduled == [Shards(2, (0,)), Shards(2, (1,))]
    fake.assert_no_violations()


async def test_without_shard_settings_the_bot_runs_the_recommended_shards(
    sessions: Sessions, scheduled: list[Shards | None]
) -> None:
    async with running_fake(shards=2) as fake:
        servers = [fake.create_guild(f"Shard {i}", shard=(i, 2)) for i in range(2)]
        async with shard_process(fake, servers, sessions) as bot:
            assert (bot.shard_count, sorted(bot.shards)) == (2, [0, 1])
            assert held(bot) == {server.id for server in servers}
            await check_daily(bot)
    assert scheduled[-1] is None  # it runs every shard: the schedule is not narrowed
    fake.assert_no_violations()
