"""The ids Discord gives the commands at sync are stored; a database synced before they were
stored gets them from Discord at the next start, without syncing again."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from core.command_syncs import command_ids
from core.db import create_engine, create_sessionmaker, session_scope
from core.models import CommandSync
from tests.fakediscord import running_fake
from tests.support import databases
from tests.support.bot_scene import bot_on
from tests.support.fake_grader import ScriptedGrader


async def test_ids_missing_from_an_earlier_sync_are_read_back_without_syncing(
    sqlite_template: Path, tmp_path: Path
) -> None:
    engine = create_engine(databases.sqlite_copy(sqlite_template, tmp_path))
    sessions = create_sessionmaker(engine)
    try:
        async with running_fake() as fake:
            guild = fake.create_guild()
            async with bot_on(fake, guild, sessions, ScriptedGrader()):
                pass
            synced = {c["name"]: int(c["id"]) for c in fake.registered_commands(guild)}
            application = fake.application.id
            async with sessions() as session:
                stored = (await command_ids(session, application))[guild.id]
            assert stored == {name: i for name, i in synced.items() if name != "Submit solution"}
            async with session_scope(sessions) as session:  # as the migration leaves old rows
                await session.execute(update(CommandSync).values(command_ids=None))
            async with bot_on(fake, guild, sessions, ScriptedGrader()) as bot:
                mentions = await bot.services.mentions.of(guild.id)
            assert fake.command_syncs == [guild.id]  # not synced again
            async with sessions() as session:
                assert (await command_ids(session, application))[guild.id] == stored
            assert mentions("mod time") == f"</mod time:{synced['mod']}>"
            fake.assert_no_violations()
    finally:
        await engine.dispose()
