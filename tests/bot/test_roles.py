"""Achievement roles Discord refuses to give are counted for the operator's dashboard."""

from __future__ import annotations

import pytest

from core.db import session_scope
from core.guilds import map_achievement_role
from tests.support.bot_scene import ECHO_RIGHT, Scene, field_value
from tests.support.metrics import exposition, sample

pytestmark = pytest.mark.asyncio(loop_scope="module")

FAILURES = "codestreak_role_grant_failures_total"


async def test_a_refused_role_grant_is_counted(scene: Scene) -> None:
    role = scene.fake.add_role(
        scene.guild, "Unreachable", position=scene.fake.bot_top_role(scene.guild).position + 1
    )
    async with session_scope(scene.sessions) as session:
        await map_achievement_role(session, scene.guild.id, "first-solve", role.id)
    before = sample(exposition(), FAILURES)

    verdict = await scene.submit_modal(scene.learner("refused"), "echo-twice", ECHO_RIGHT)

    assert "could not be given yet" in field_value(verdict, "Note")
    assert sample(exposition(), FAILURES) == before + 1
