"""A server posting its daily challenge, for end-to-end tests that restart bots on it.

Each test starts bots one after another (or side by side) on the same fake Discord and the same
database, as restarting (or parallel) processes would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.client import CodestreakBot
from bot.exts.daily import DailyScheduler
from core.db import create_sessionmaker, session_scope
from core.guilds import set_channel, set_post_time
from tests.fakediscord import FakeChannel, FakeDiscord, FakeGuild, FakeMessage, running_fake
from tests.support.bot_scene import content_database
from tests.support.clocks import Clock
from tests.support.databases import Sessions

MONDAY = date(2026, 5, 4)


@asynccontextmanager
async def daily_world(engine: AsyncEngine, database_url: str, folder: Path) -> AsyncIterator[World]:
    """A running fake and a database whose server posts at 09:00 UTC in #challenges; the clock
    says Monday 10:00 UTC."""
    async with content_database(database_url, folder), running_fake() as fake:
        sessions = create_sessionmaker(engine)
        guild = fake.create_guild("Daily Server")
        channel = fake.add_text_channel(guild, "challenges")
        async with session_scope(sessions) as session:
            await set_channel(session, guild.id, channel.id)
            await set_post_time(session, guild.id, "09:00", "UTC")
        yield World(fake, guild, channel, sessions, Clock(datetime(2026, 5, 4, 10, 0, tzinfo=UTC)))


@dataclass
class World:
    """A fake Discord server with a challenge channel, and a database with content."""

    fake: FakeDiscord
    guild: FakeGuild
    channel: FakeChannel
    sessions: Sessions
    clock: Clock

    def posts(self) -> list[FakeMessage]:
        """The daily posts the bot made in the challenge channel."""
        return [
            m for m in self.fake.bot_messages_in(self.channel) if "Daily challenge" in m.content
        ]


async def run_check(bot: CodestreakBot) -> None:
    """One scheduler pass, as the loop runs it every half minute."""
    scheduler = bot.get_cog("DailyScheduler")
    assert isinstance(scheduler, DailyScheduler)
    await scheduler.check()
