"""Sharing consent at submit time (the code box's checkbox, `/submit share:`, remembered), and
where first solves are announced: today's daily thread, else the challenge channel, never
where the learner submitted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db import session_scope
from core.guilds import set_channel, today_for
from core.models import Submission, User
from tests.fakediscord import FakeMember, FakeMessage
from tests.support.bot_scene import (
    CODE_FIELD,
    ECHO_RIGHT,
    ECHO_WRONG,
    GRADING_TIMEOUT_S,
    Scene,
    acknowledged,
    field_value,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

SHARE = "Share my accepted solution"


async def share_box_of(scene: Scene, member: FakeMember) -> bool:
    """Whether /submit opens the code box with the share box ticked."""
    record = await scene.slash(member, "submit", {"task": "echo-twice"})
    modal = await record.wait_for_modal()
    (label,) = [c for c in modal["components"] if c["type"] == 18]
    assert label["label"] == SHARE
    return bool(label["component"]["default"])


async def submit_box(scene: Scene, member: FakeMember, code: str, share: bool) -> FakeMessage:
    """/submit, then the code box with `code` and the share box as `share`; the verdict."""
    record = await scene.slash(member, "submit", {"task": "echo-twice"})
    await record.wait_for_modal()
    submitted = await scene.fake.submit_modal(record, {CODE_FIELD: code, SHARE: share})
    await acknowledged(submitted)
    return await submitted.wait_for_response(GRADING_TIMEOUT_S)


async def shared_flags(scene: Scene, member: FakeMember) -> list[bool]:
    """The stored consent of the member's submissions, oldest first."""
    async with scene.sessions() as session:
        return list(
            await session.scalars(
                select(Submission.shared)
                .join(User, User.id == Submission.user_id)
                .where(User.discord_id == member.user.id)
                .order_by(Submission.id)
            )
        )


async def test_the_share_box_is_stored_told_and_remembered(scene: Scene) -> None:
    ada = scene.learner("ada")
    assert await share_box_of(scene, ada) is False
    shared = await submit_box(scene, ada, ECHO_RIGHT, share=True)
    assert field_value(shared, "Note").startswith("🔓 Shared: once the day is over")
    assert await share_box_of(scene, ada) is True
    private = await submit_box(scene, ada, ECHO_RIGHT, share=False)
    assert field_value(private, "Note").startswith("🔒 Not shared.")
    wrong = await submit_box(scene, ada, ECHO_WRONG, share=True)
    assert "Note" not in [f["name"] for f in wrong.embeds[0].get("fields", [])]
    assert await shared_flags(scene, ada) == [True, False, True]
    assert await share_box_of(scene, ada) is True
    scene.fake.assert_no_violations()


async def test_files_and_messages_are_shared_as_asked_else_as_last_time(scene: Scene) -> None:
    bo = scene.learner("bo")
    asked = scene.fake.make_attachment("solution.py", ECHO_RIGHT)
    verdict = await scene.reply(bo, "submit", {"task": "echo-twice", "file": asked, "share": True})
    assert field_value(verdict, "Note").startswith("🔓 Shared")
    again = await scene.submit_file(bo, "echo-twice", ECHO_RIGHT)  # no share option: as before
    assert field_value(again, "Note").startswith("🔓 Shared")
    message = scene.fake.add_message(scene.channel, bo, f"echo-twice\n```py\n{ECHO_RIGHT}```")
    record = await scene.fake.send_message_context(scene.channel, bo, "Submit solution", message)
    await acknowledged(record)
    menu = await record.wait_for_response(GRADING_TIMEOUT_S)
    assert field_value(menu, "Note").startswith("🔓 Shared")
    private = scene.fake.make_attachment("solution.py", ECHO_RIGHT)
    await scene.reply(bo, "submit", {"task": "echo-twice", "file": private, "share": False})
    assert await shared_flags(scene, bo) == [True, True, True, False]
    assert await share_box_of(scene, bo) is False
    scene.fake.assert_no_violations()


async def test_first_solves_are_announced_in_todays_thread_else_the_challenge_channel(
    scene: Scene,
) -> None:
    async with session_scope(scene.sessions) as session:
        await set_channel(session, scene.guild.id, scene.challenges.id)
        today = await today_for(session, scene.guild.id, scene.bot.services.clock())
    posted = await scene.bot.daily.post(scene.guild.id, scene.challenges.id, today)
    thread = scene.fake.find_channel(posted.message_id)
    assert thread is not None
    cleo = scene.learner("cleo")
    await scene.submit_modal(cleo, "echo-twice", ECHO_RIGHT)
    announced = await scene.wait_for_announcement(cleo)
    assert announced.channel_id == thread.id
    assert not any(f"<@{cleo.user.id}>" in m.content for m in scene.fake.messages_in(scene.channel))

    seen = scene.bot.get_guild(scene.guild.id)
    assert seen is not None
    scene.fake.set_thread_state(thread, archived=True)
    await scene.fake.wait_until(
        lambda: True if (t := seen.get_thread(thread.id)) is None or t.archived else None,
        what="the bot to see the thread archived",
    )
    dan = scene.learner("dan")
    await scene.submit_modal(dan, "echo-twice", ECHO_RIGHT)
    fallback = await scene.wait_for_announcement(dan)
    assert fallback.channel_id == scene.challenges.id
    scene.fake.set_thread_state(thread, archived=False)
    scene.fake.assert_no_violations()
