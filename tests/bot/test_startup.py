"""Starting the bot: its own Discord endpoints and global command sync."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import discord
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.app import create_bot
from core.db import create_engine, create_sessionmaker
from tests.bot.scene import bot_settings
from tests.core.submissions.fakes import ScriptedGrader
from tests.fakediscord import running_fake


async def test_the_bot_applies_the_configured_endpoints_and_syncs_globally(
    tmp_path: Path,
) -> None:
    saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    Route.BASE = "http://127.0.0.1:9/api/v10"  # nothing listens there
    try:
        async with running_fake() as fake:
            guild = fake.create_guild()
            settings = bot_settings(fake, guild, discord_guild_ids=[])
            engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/unused.db")
            bot = create_bot(
                settings, create_sessionmaker(engine), ScriptedGrader(), guild_ready_timeout=0.1
            )
            runner = asyncio.create_task(bot.start(fake.token))
            try:
                await asyncio.wait_for(bot.wait_until_ready(), 15)
                commands = await fake.wait_for_command_sync(None)
            finally:
                await bot.close()
                with contextlib.suppress(asyncio.CancelledError, discord.DiscordException):
                    await asyncio.wait_for(runner, 5)
                await engine.dispose()
        assert fake.api_base == Route.BASE
        names = {c["name"] for c in commands}
        assert names >= {"daily", "task", "tasks", "submit", "profile", "leaderboard", "link"}
        assert names >= {"export", "mod", "Submit solution"}
        fake.assert_no_violations()
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
