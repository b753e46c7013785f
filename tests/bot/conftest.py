"""Bot end-to-end fixtures: one fake Discord, bot, database and scripted grader per test module.

A test that asks for `real_sandbox` has its submissions graded in the real sandbox instead.
"""

from __future__ import annotations

import asyncio
import os
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncSession

import bot.roles
from core.db import create_engine, session_scope
from core.guilds import earned_roles as read_earned_roles
from core.guilds import guild_settings
from sandbox import SandboxPool
from tests.fakediscord import running_fake
from tests.fakediscord.permissions import MANAGE_GUILD
from tests.support import databases
from tests.support.bot_scene import PROGRAMS, Scene, bot_on, content_database
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.sandbox import make_config
from tests.support.two_servers import TwoServers, two_servers


@pytest.fixture(scope="module")
def grader() -> ScriptedGrader:
    """A grader that runs the bot tests' programs as scripted (tests.support.bot_scene.PROGRAMS)."""
    return ScriptedGrader(programs=PROGRAMS)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def sandbox_pool(sandbox_image: str) -> AsyncIterator[SandboxPool]:
    """A started sandbox pool for one test module."""
    pool = SandboxPool(
        make_config(
            sandbox_image,
            pool_name=f"bot-test-{os.getpid()}",
            pool_size=4,
            max_concurrent=4,
            queue_size=64,
        )
    )
    await pool.start()
    await pool.wait_ready()
    yield pool
    await pool.close()


@pytest.fixture
def real_sandbox(scene: Scene, sandbox_pool: SandboxPool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scene's submissions are graded in the real sandbox for one test."""
    monkeypatch.setattr(scene.bot.services.submissions, "grader", sandbox_pool)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_sessions(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Sessions]:
    """A migrated SQLite database with the test content, for one test module."""
    folder = tmp_path_factory.mktemp("bot-db")
    url = databases.sqlite_copy(sqlite_template, folder)
    async with content_database(url, folder) as sessions:
        yield sessions


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def scene(module_sessions: Sessions, grader: ScriptedGrader) -> AsyncIterator[Scene]:
    """The real bot on a fake Discord server with a challenge channel, roles and a moderator."""
    async with running_fake() as fake:
        guild = fake.create_guild("Training Ground")
        channel = fake.add_text_channel(guild, "general")
        challenges = fake.add_text_channel(guild, "challenges")
        solver = fake.add_role(guild, "Solver")
        double = fake.add_role(guild, "Double")
        high = fake.add_role(guild, "Hard Hitter", position=fake.bot_top_role(guild).position + 1)
        mods = fake.add_role(guild, "Mods", permissions=MANAGE_GUILD)
        moderator = fake.add_member(guild, "mod-ada", roles=[mods])
        async with session_scope(module_sessions) as session:
            # points stay exact whichever task the server's daily challenge happens to be
            (await guild_settings(session, guild.id)).daily_bonus = 0
        async with bot_on(fake, guild, module_sessions, grader) as bot:
            yield Scene(
                fake,
                guild,
                channel,
                challenges,
                bot,
                module_sessions,
                solver,
                high,
                double,
                moderator,
            )


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=databases.BACKENDS)
async def servers(
    request: pytest.FixtureRequest,
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    grader: ScriptedGrader,
) -> AsyncIterator[TwoServers]:
    """The real bot serving servers A and B (tests.support.two_servers), on SQLite and MariaDB.

    One scene per module and backend: tests add their own tasks and members.
    """
    folder = tmp_path_factory.mktemp("two-servers")
    if request.param == "sqlite":
        url = databases.sqlite_copy(sqlite_template, folder)
    else:
        url = request.getfixturevalue("mariadb_url")
        engine = create_engine(url)
        try:
            await databases.empty_all_tables(engine)
        finally:
            await engine.dispose()
    async with content_database(url, folder) as sessions, two_servers(sessions, grader) as scene:
        yield scene


@pytest.fixture
def caught_up(monkeypatch: pytest.MonkeyPatch) -> defaultdict[int, asyncio.Event]:
    """Per Discord id, set once the bot's role catch-up (bot.roles.RoleCatchUp) has read which
    roles the member earned. A learner's first interaction starts one in the background; a
    mapping made before it read would be applied by it, not by the sync under test."""
    read: defaultdict[int, asyncio.Event] = defaultdict(asyncio.Event)

    async def earned_roles(
        session: AsyncSession, guild_id: int, discord_id: int
    ) -> list[tuple[str, int]]:
        try:
            return await read_earned_roles(session, guild_id, discord_id)
        finally:
            read[discord_id].set()

    monkeypatch.setattr(bot.roles, "earned_roles", earned_roles)
    return read
