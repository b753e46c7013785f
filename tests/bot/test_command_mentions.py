"""Mentions come from the stored ids; a process that does not sync learns new ids within
`REFRESH_S`, and a command whose id is unknown is still written, as `/name`."""

from __future__ import annotations

from pathlib import Path

from bot.command_mentions import REFRESH_S, CommandMentions, Mentions
from core.command_syncs import GLOBAL_SCOPE, record_sync
from core.db import create_engine, create_sessionmaker, session_scope
from tests.support import databases

APPLICATION = 555
SERVER = 777


def test_a_mention_names_the_subcommand_with_its_top_commands_id() -> None:
    mentions = Mentions({"mod": 9})
    assert mentions("mod time") == "</mod time:9>"
    assert mentions("daily") == "`/daily`"


async def test_a_process_learns_ids_synced_elsewhere_after_the_refresh_time(
    sqlite_template: Path, tmp_path: Path
) -> None:
    engine = create_engine(databases.sqlite_copy(sqlite_template, tmp_path))
    sessions = create_sessionmaker(engine)
    now = [0.0]
    try:
        mentions = CommandMentions(sessions, clock=lambda: now[0])
        mentions.application_id = APPLICATION
        assert (await mentions.of(SERVER))("help") == "`/help`"
        async with session_scope(sessions) as session:
            await record_sync(session, APPLICATION, GLOBAL_SCOPE, "a", {"help": 1, "daily": 2})
            await record_sync(session, APPLICATION, SERVER, "b", {"help": 3})
        assert (await mentions.of(SERVER))("help") == "`/help`"  # read a moment ago
        now[0] += REFRESH_S + 1
        here = await mentions.of(SERVER)
        assert (here("help"), here("daily")) == ("</help:3>", "</daily:2>")
        assert (await mentions.of(None))("help") == "</help:1>"  # DMs: global commands
    finally:
        await engine.dispose()
