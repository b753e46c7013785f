"""Starting the bot: its own Discord endpoints, and command syncs only when commands changed."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.app import create_bot
from core.db import create_engine, create_sessionmaker
from tests.fakediscord import running_bot, running_fake
from tests.support import databases
from tests.support.bot_scene import bot_on, bot_settings
from tests.support.cli_runner import CODESTREAK
from tests.support.fake_grader import ScriptedGrader


async def test_the_bot_applies_the_configured_endpoints_and_syncs_globally(
    sqlite_template: Path, tmp_path: Path
) -> None:
    saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    Route.BASE = "http://127.0.0.1:9/api/v10"  # nothing listens there
    try:
        async with running_fake() as fake:
            guild = fake.create_guild()
            settings = bot_settings(fake, guild, discord_guild_ids=[])
            engine = create_engine(databases.sqlite_copy(sqlite_template, tmp_path))
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


async def _extra(interaction: discord.Interaction) -> None:
    """A command only the changed bot has."""


async def test_commands_are_synced_again_only_when_changed_or_asked(
    sqlite_template: Path, tmp_path: Path
) -> None:
    url = databases.sqlite_copy(sqlite_template, tmp_path)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    try:
        async with running_fake() as fake:
            guild = fake.create_guild()
            for _ in range(2):  # a restart with the same commands leaves Discord alone
                async with bot_on(fake, guild, sessions, ScriptedGrader()):
                    pass
            assert fake.command_syncs == [guild.id]
            changed = create_bot(
                bot_settings(fake, guild), sessions, ScriptedGrader(), guild_ready_timeout=0.1
            )
            extra: app_commands.Command[Any, ..., None] = app_commands.Command(
                name="extra", description="New.", callback=_extra
            )
            changed.tree.add_command(extra)
            async with running_bot(fake, changed):
                pass
            assert fake.command_syncs == [guild.id, guild.id]
            assert "extra" in {c["name"] for c in fake.registered_commands(guild)}
            async with bot_on(fake, guild, sessions, ScriptedGrader()):
                pass
            assert fake.command_syncs == [guild.id] * 3  # the extra command is gone again
            asked = await asyncio.create_subprocess_exec(
                CODESTREAK, "bot", "sync", cwd=tmp_path,
                env={
                    **os.environ,
                    "DATABASE_URL": url,
                    "DISCORD_TOKEN": fake.token,
                    "DISCORD_API_BASE": fake.api_base,
                    "DISCORD_GUILD_IDS": f"[{guild.id}]",
                },
            )  # fmt: skip
            assert await asyncio.wait_for(asked.wait(), 60) == 0
            assert fake.command_syncs == [guild.id] * 4
            fake.assert_no_violations()
    finally:
        await engine.dispose()
