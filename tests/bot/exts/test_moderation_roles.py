"""`/mod role-sync`: every achievement role given again to all members who hold the achievement."""

from __future__ import annotations

import asyncio
from collections import defaultdict

import pytest

import bot.roles
from core.db import session_scope
from core.guilds import map_achievement_role
from tests.fakediscord import FakeMember, FakeMessage, FakeRole
from tests.support.bot_scene import ECHO_RIGHT, GRADING_TIMEOUT_S, Scene, field_value

pytestmark = pytest.mark.asyncio(loop_scope="module")

DONE = "Role sync done."


async def mapped_quietly(scene: Scene, achievement: str, role: FakeRole) -> None:
    """Map a role as it was before the bot could grant it: nobody got it then."""
    async with session_scope(scene.sessions) as session:
        await map_achievement_role(session, scene.guild.id, achievement, role.id)


async def role_sync(scene: Scene) -> FakeMessage:
    """Run /mod role-sync; its reply once the sync is done."""
    record = await scene.slash(scene.moderator, "mod role-sync")
    return await scene.fake.wait_until(
        lambda: (
            record.original
            if record.original is not None and record.original.content.startswith(DONE)
            else None
        ),
        GRADING_TIMEOUT_S,
        "the role sync to finish",
    )


async def solver(
    scene: Scene, prefix: str, caught_up: defaultdict[int, asyncio.Event]
) -> FakeMember:
    """A learner who unlocked First Solve, whose role catch-up is over."""
    learner = scene.learner(prefix)
    verdict = await scene.submit_modal(learner, "echo-twice", ECHO_RIGHT)
    assert "First Solve" in field_value(verdict, "Achievements unlocked")
    await asyncio.wait_for(caught_up[learner.user.id].wait(), GRADING_TIMEOUT_S)
    return learner


async def test_without_mappings_there_is_nothing_to_sync(scene: Scene) -> None:
    reply = await scene.reply(scene.moderator, "mod role-sync")
    assert reply.ephemeral
    commands = scene.fake.registered_commands(scene.guild)
    mod = next(command["id"] for command in commands if command["name"] == "mod")
    assert reply.content == (
        f"No achievement grants a role here yet: map one with </mod role:{mod}>."
    )
    scene.fake.assert_no_violations()


async def test_role_sync_gives_every_holder_the_role_with_progress(
    scene: Scene, monkeypatch: pytest.MonkeyPatch, caught_up: defaultdict[int, asyncio.Event]
) -> None:
    holders = [await solver(scene, "early", caught_up), await solver(scene, "earlier", caught_up)]
    badge = scene.fake.add_role(scene.guild, "Badge")
    await mapped_quietly(scene, "first-solve", badge)
    assert all("Badge" not in scene.fake.role_names_of(scene.guild, h) for h in holders)
    monkeypatch.setattr(bot.roles, "PROGRESS_EVERY", 1)

    reply = await role_sync(scene)
    assert reply.ephemeral
    assert reply.content == (
        f"{DONE}\n**First Solve** → <@&{badge.id}>: 2 granted (2 members hold the achievement)."
    )
    progress = [edit["content"] for edit in reply.edits[:-1]]
    assert progress[0] == f"Syncing **First Solve** → <@&{badge.id}>: 1/2 members checked…"
    for holder in holders:
        assert "Badge" in scene.fake.role_names_of(scene.guild, holder)

    again = await role_sync(scene)
    assert again.content.endswith(": 0 granted (2 members hold the achievement).")
    scene.fake.assert_no_violations()


async def test_role_sync_stops_at_a_refusal_and_says_why(
    scene: Scene, caught_up: defaultdict[int, asyncio.Event]
) -> None:
    await solver(scene, "refused", caught_up)
    lofty = scene.fake.add_role(
        scene.guild, "Lofty", position=scene.fake.bot_top_role(scene.guild).position + 1
    )
    await mapped_quietly(scene, "first-solve", lofty)
    reply = await role_sync(scene)
    assert reply.content.startswith(f"{DONE}\n**First Solve** → <@&{lofty.id}>: 0 granted, then ")
    assert reply.content.endswith("stopped: the role is not below my highest role (CodeStreak).")
    scene.fake.assert_no_violations()
