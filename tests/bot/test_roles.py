"""Achievement roles: those Discord refuses to give are counted for the operator's dashboard;
those earned on the site are given at the learner's next command in the server."""

from __future__ import annotations

import asyncio
from collections import defaultdict

import pytest

from core.db import session_scope
from core.guilds import map_achievement_role
from core.learners import learner_for_discord
from core.submissions.service import Source
from tests.support.bot_scene import ECHO_RIGHT, GRADING_TIMEOUT_S, Scene, field_value
from tests.support.metrics import exposition, sample

pytestmark = pytest.mark.asyncio(loop_scope="module")

FAILURES = "codestreak_role_grant_failures_total"


async def test_a_refused_role_grant_is_counted(
    scene: Scene, caught_up: defaultdict[int, asyncio.Event]
) -> None:
    role = scene.fake.add_role(
        scene.guild, "Unreachable", position=scene.fake.bot_top_role(scene.guild).position + 1
    )
    async with session_scope(scene.sessions) as session:
        await map_achievement_role(session, scene.guild.id, "first-solve", role.id)
    learner = scene.learner("refused")
    await scene.reply(learner, "tasks")  # the role catch-up of the first command is over first
    await asyncio.wait_for(caught_up[learner.user.id].wait(), GRADING_TIMEOUT_S)
    before = sample(exposition(), FAILURES)

    verdict = await scene.submit_modal(learner, "echo-twice", ECHO_RIGHT)

    assert "could not be given yet" in field_value(verdict, "Note")
    assert sample(exposition(), FAILURES) == before + 1


async def test_an_achievement_unlocked_on_the_site_gives_its_role_at_the_next_command(
    scene: Scene,
) -> None:
    member = scene.learner("web")
    async with session_scope(scene.sessions) as session:
        await map_achievement_role(session, scene.guild.id, "first-solve", scene.solver_role.id)
        learner = await learner_for_discord(
            session, member.user.id, member.user.username, scene.guild.id
        )
    outcome = await scene.bot.services.submissions.submit(
        learner.id, "echo-twice", ECHO_RIGHT, Source.WEB
    )
    assert [a.slug for a in outcome.achievements] == ["first-solve"]
    assert "Solver" not in scene.fake.role_names_of(scene.guild, member)

    await scene.reply(member, "tasks")

    await scene.fake.wait_until(
        lambda: True if "Solver" in scene.fake.role_names_of(scene.guild, member) else None,
        what="the role of the achievement unlocked on the site",
    )
    scene.fake.assert_no_violations()
