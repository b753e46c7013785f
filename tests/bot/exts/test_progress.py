"""`/achievements` (every achievement; locked ones with progress and the role they grant here)
and `/history` (the learner's own submissions with verdicts, paged within Discord's limits)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db import session_scope
from core.guilds import map_achievement_role
from core.learners import learner_for_discord
from core.models import Submission, Task
from core.submissions.service import Source
from core.verdicts import SubmissionVerdict
from tests.support.bot_scene import ECHO_RIGHT, ECHO_WRONG, Scene, embed_of

pytestmark = pytest.mark.asyncio(loop_scope="module")


def field(embed: dict[str, object], prefix: str) -> str:
    """The value of the first field whose name starts with `prefix`."""
    fields = embed["fields"]
    assert isinstance(fields, list)
    return next(str(f["value"]) for f in fields if str(f["name"]).startswith(prefix))


async def test_achievements_show_every_one_with_progress_and_the_role_it_grants_here(
    scene: Scene,
) -> None:
    async with session_scope(scene.sessions) as session:
        await map_achievement_role(session, scene.guild.id, "hard-hitter", scene.high_role.id)
    learner = scene.learner()
    before = embed_of(await scene.reply(learner, "achievements"))
    assert before["title"] == f"{learner.user.username}'s achievements: 0/3"
    await scene.submit_modal(learner, "echo-twice", ECHO_RIGHT)
    reply = await scene.reply(learner, "achievements")
    assert reply.ephemeral
    embed = embed_of(reply)
    assert embed["title"] == f"{learner.user.username}'s achievements: 1/3"
    unlocked = field(embed, "Unlocked (1)")
    assert unlocked.startswith("🩸 **First Solve**: Solve your first task. · <t:")
    assert "grants" not in unlocked  # no role is mapped to it in this server
    locked = field(embed, "Still locked (2)")
    assert "🔒 **Two Solves**" in locked
    assert "▰▰▰▰▰▱▱▱▱▱ 1/2 tasks solved" in locked
    assert f"🔒 **Hard Hitter**: Solve your first task. · grants <@&{scene.high_role.id}>" in locked
    assert "▱▱▱▱▱▱▱▱▱▱ 0/1 hard tasks solved" in locked
    scene.fake.assert_no_violations()


async def test_history_lists_the_learners_submissions_newest_first_with_verdicts(
    scene: Scene,
) -> None:
    learner = scene.learner()
    empty = await scene.reply(learner, "history")
    assert "No submissions yet" in empty.text()
    await scene.submit_modal(learner, "echo-twice", ECHO_WRONG)
    await scene.submit_modal(learner, "echo-twice", ECHO_RIGHT)
    reply = await scene.reply(learner, "history")
    assert reply.ephemeral
    embed = embed_of(reply)
    assert embed["title"] == "Your submissions (2)"
    newest, oldest = embed["description"].split("\n")
    assert newest.startswith("✅ Accepted · **Echo twice** (`echo-twice`) · 2/2 tests")
    assert oldest.startswith("❌ Wrong answer · **Echo twice** (`echo-twice`) · 0/2 tests")
    assert "<t:" in newest  # when, in each reader's own time zone
    other = await scene.reply(learner, "history", {"task": "shout-twice"})
    assert embed_of(other)["title"] == "Your submissions (0) · shout-twice"
    assert "Echo twice" not in scene.fake.messages[other.id].text()
    scene.fake.assert_no_violations()


async def test_a_long_history_is_paged_and_only_its_owner_turns_pages(scene: Scene) -> None:
    learner = scene.learner()
    async with session_scope(scene.sessions) as session:
        user = await learner_for_discord(
            session, learner.user.id, learner.user.username, scene.guild.id
        )
        task = await session.scalar(select(Task).where(Task.slug == "shout-twice"))
        assert task is not None
        session.add_all(
            Submission(
                user_id=user.id,
                task_id=task.id,
                source=Source.DISCORD,
                code=f"print({n})",
                verdict=SubmissionVerdict.WRONG_ANSWER,
                results=[{"index": 0, "passed": False, "hidden": False}],
                time_ms=n,
            )
            for n in range(23)
        )
    listed = await scene.reply(learner, "history", {"task": "shout-twice"})
    embed = embed_of(listed)
    assert embed["title"] == "Your submissions (23) · shout-twice"
    assert embed["footer"]["text"] == "Page 1/3"
    assert len(embed["description"].split("\n")) == 10
    newer, older = listed.custom_ids()
    stranger = await scene.fake.click_button(listed, older, scene.learner())
    history = next(
        c["id"] for c in scene.fake.registered_commands(scene.guild) if c["name"] == "history"
    )
    told = (await stranger.wait_for_response()).content
    assert told == f"Run </history:{history}> yourself to see your own submissions."
    for _ in range(2):
        clicked = await scene.fake.click_button(listed, older, learner)
        assert await clicked.wait_for_ack() == 7  # the message itself is updated
    assert embed_of(listed)["footer"]["text"] == "Page 3/3"
    assert len(embed_of(listed)["description"].split("\n")) == 3
    back = await scene.fake.click_button(listed, newer, learner)
    await back.wait_for_ack()
    assert embed_of(listed)["footer"]["text"] == "Page 2/3"
    scene.fake.assert_no_violations()
