"""Keeping the learner's code between tries: the code box reopens with the last submission, and
every verdict carries an "Edit & resubmit" button."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest
from sqlalchemy import select

from core.models import User
from tests.fakediscord import FakeMember, FakeMessage
from tests.support.bot_scene import (
    CODE_FIELD,
    ECHO_RIGHT,
    ECHO_WRONG,
    GRADING_TIMEOUT_S,
    Scene,
    acknowledged,
    embed_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

EDIT_LABEL = "Edit & resubmit"


def code_in(modal: dict[str, object]) -> str:
    """The pre-filled value of the modal's only text input (the share box aside)."""
    rows = [row for row in modal["components"] if "components" in row]  # type: ignore[attr-defined]
    (text_input,) = [c for row in rows for c in row["components"]]
    return str(text_input["value"])


def edit_button(verdict: FakeMessage) -> dict[str, object]:
    """The verdict's "Edit & resubmit" button."""
    (button,) = [c for row in verdict.components for c in row["components"]]
    assert button["label"] == EDIT_LABEL
    return button  # type: ignore[no-any-return]


async def reopen(scene: Scene, member: FakeMember, verdict: FakeMessage) -> dict[str, object]:
    """Click "Edit & resubmit" on `verdict`; the modal it opens."""
    record = await scene.fake.click_button(verdict, str(edit_button(verdict)["custom_id"]), member)
    await acknowledged(record)
    return await record.wait_for_modal()


async def test_code_box_reopens_with_the_last_submission_not_the_template(scene: Scene) -> None:
    grace = scene.learner("grace")
    first = await scene.slash(grace, "submit", {"task": "echo-twice"})
    assert code_in(await first.wait_for_modal()) == "line = input()\n# your code here\n"
    await scene.submit_modal(grace, "echo-twice", ECHO_WRONG)
    again = await scene.slash(grace, "submit", {"task": "echo-twice"})
    assert code_in(await again.wait_for_modal()) == ECHO_WRONG
    other_task = await scene.slash(grace, "submit", {"task": "shout-twice"})
    assert code_in(await other_task.wait_for_modal()) != ECHO_WRONG
    someone_else = await scene.slash(scene.learner(), "submit", {"task": "echo-twice"})
    assert code_in(await someone_else.wait_for_modal()) == "line = input()\n# your code here\n"
    scene.fake.assert_no_violations()


async def test_a_code_box_writes_nothing_the_learner_is_made_when_they_submit(
    scene: Scene,
) -> None:
    """A code box cannot be deferred: it only reads, to show in time however many open one."""
    newcomer = scene.learner("newcomer")
    box = await scene.slash(newcomer, "submit", {"task": "echo-twice"})
    assert code_in(await box.wait_for_modal()) == "line = input()\n# your code here\n"
    assert await learner_of(scene, newcomer) is None
    await scene.submit_modal(newcomer, "echo-twice", ECHO_RIGHT)
    assert await learner_of(scene, newcomer) is not None
    scene.fake.assert_no_violations()


async def learner_of(scene: Scene, member: FakeMember) -> int | None:
    """The id of the learner behind `member`, None when the bot made none."""
    async with scene.sessions() as session:
        return await session.scalar(select(User.id).where(User.discord_id == member.user.id))


async def test_edit_and_resubmit_reopens_the_code_just_sent_and_grades_the_fix(
    scene: Scene,
) -> None:
    ada = scene.learner("ada")
    wrong = await scene.submit_modal(ada, "echo-twice", ECHO_WRONG)
    assert embed_of(wrong)["title"] == "❌ Wrong answer · Echo twice"
    click = await scene.fake.click_button(wrong, str(edit_button(wrong)["custom_id"]), ada)
    await acknowledged(click)
    modal = await click.wait_for_modal()
    assert modal["title"] == "Submit: Echo twice"
    assert code_in(modal) == ECHO_WRONG
    fixed = await scene.fake.submit_modal(click, {CODE_FIELD: ECHO_RIGHT})
    await acknowledged(fixed)
    accepted = await fixed.wait_for_response(GRADING_TIMEOUT_S)
    assert embed_of(accepted)["title"] == "✅ Accepted · Echo twice"
    assert accepted.ephemeral
    assert code_in(await reopen(scene, ada, accepted)) == ECHO_RIGHT
    scene.fake.assert_no_violations()


async def test_every_way_of_submitting_gets_the_button(scene: Scene) -> None:
    member = scene.learner()
    from_file = await scene.submit_file(member, "shout-twice", "# wrong\nprint('file')\n")
    assert code_in(await reopen(scene, member, from_file)) == "# wrong\nprint('file')\n"
    message = scene.fake.add_message(
        scene.channel, member, "shout-twice:\n```python\n# wrong\nprint('menu')\n```"
    )
    record = await scene.fake.send_message_context(
        scene.channel, member, "Submit solution", message
    )
    await acknowledged(record)
    from_menu = await record.wait_for_response(GRADING_TIMEOUT_S)
    assert code_in(await reopen(scene, member, from_menu)) == "# wrong\nprint('menu')\n"
    scene.fake.assert_no_violations()


async def test_code_longer_than_a_code_box_says_how_to_attach_it(scene: Scene) -> None:
    member = scene.learner()
    long_code = "# wrong\n" + "x = 'padding to pass four thousand characters'\n" * 90
    assert len(long_code) > 4000
    verdict = await scene.submit_file(member, "echo-twice", long_code)
    for record in (
        await scene.slash(member, "submit", {"task": "echo-twice"}),
        await scene.fake.click_button(verdict, str(edit_button(verdict)["custom_id"]), member),
    ):
        await acknowledged(record)
        reply = await record.wait_for_response()
        assert reply.ephemeral
        assert reply.content.startswith(
            f"Your last code for **Echo twice** is {len(long_code):,} characters, more than a "
            "code box holds (4,000). Attach a `.py` or `.txt` file"
        )
        submit = next(
            c["id"] for c in scene.fake.registered_commands(scene.guild) if c["name"] == "submit"
        )
        assert f"</submit:{submit}> `task:echo-twice`" in reply.content
    scene.fake.assert_no_violations()


async def test_a_code_box_open_past_any_view_timeout_is_still_graded(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    """discord.py drops a modal whose view timed out, and with it the learner's code; here every
    modal's timeout is 0.1 s instead of minutes, then the learner takes longer than that."""
    opening = discord.ui.Modal.__init__

    def hasty(self: discord.ui.Modal, *args: Any, **kwargs: Any) -> None:
        opening(self, *args, **{**kwargs, "timeout": 0.1})

    monkeypatch.setattr(discord.ui.Modal, "__init__", hasty)
    slow = scene.learner("slow")
    opened = await scene.slash(slow, "submit", {"task": "echo-twice"})
    await opened.wait_for_modal()
    await asyncio.sleep(0.5)
    submitted = await scene.fake.submit_modal(opened, {CODE_FIELD: ECHO_RIGHT})
    await acknowledged(submitted)
    verdict = await submitted.wait_for_response(GRADING_TIMEOUT_S)
    assert embed_of(verdict)["title"] == "✅ Accepted · Echo twice"
    scene.fake.assert_no_violations()
