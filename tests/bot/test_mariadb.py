"""The submission path end to end on MariaDB: the same bot, fake Discord and grader."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import select

from core.db import create_engine
from core.models import User
from tests.support import databases
from tests.support.bot_scene import (
    ECHO_RIGHT,
    ECHO_WRONG,
    Scene,
    content_database,
    embed_of,
    field_value,
)
from tests.support.databases import Sessions

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_sessions(
    mariadb_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Sessions]:
    """The run's MariaDB database, emptied, with the test content (overrides SQLite here)."""
    engine = create_engine(mariadb_url)
    try:
        await databases.empty_all_tables(engine)
    finally:
        await engine.dispose()
    async with content_database(mariadb_url, tmp_path_factory.mktemp("mariadb-content")) as s:
        yield s


async def test_wrong_then_accepted_on_mariadb(scene: Scene) -> None:
    mapped = await scene.reply(
        scene.moderator, "mod role", {"achievement": "first-solve", "role": scene.solver_role}
    )
    assert mapped.content == f"**First Solve** now grants <@&{scene.solver_role.id}>."
    learner = scene.learner("maria")
    wrong = await scene.submit_modal(learner, "echo-twice", ECHO_WRONG)
    assert embed_of(wrong)["title"] == "❌ Wrong answer · Echo twice"
    right = await scene.submit_file(learner, "echo-twice", ECHO_RIGHT)
    assert embed_of(right)["title"] == "✅ Accepted · Echo twice"
    assert field_value(right, "Points").startswith("+10 points")
    assert field_value(right, "Streak") == "🔥 1 day"
    async with scene.sessions() as session:
        user = await session.scalar(select(User).where(User.discord_id == learner.user.id))
        assert user is not None
        assert (user.points, user.current_streak) == (10, 1)
    await scene.fake.wait_until(
        lambda: True if "Solver" in scene.fake.role_names_of(scene.guild, learner) else None,
        what="the Solver role",
    )
    scene.fake.assert_no_violations()
