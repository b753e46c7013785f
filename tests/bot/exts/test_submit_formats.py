"""Code the way Discord delivers it: `.txt` and `message.txt` files, code blocks with any tag, on
one line, with look-alike ticks or left open; and the message menu acknowledges at once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.exts.submit import _cog
from bot.exts.submit._codeblock import INLINE_TAG_HINT, LOOKALIKE_HINT, UNCLOSED_HINT
from core.catalog import autocomplete as listing
from tests.fakediscord import FakeAttachment, FakeMember, FakeMessage
from tests.support.bot_scene import (
    ACK_DEADLINE_S,
    ECHO_RIGHT,
    GRADING_TIMEOUT_S,
    SHOUT_RIGHT,
    Scene,
    acknowledged,
    embed_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEFERRED_CHANNEL_MESSAGE = 5


async def menu_verdict(
    scene: Scene,
    member: FakeMember,
    content: str,
    attachments: tuple[FakeAttachment, ...] = (),
) -> FakeMessage:
    """`Submit solution` on a new message of `member`; the reply."""
    message = scene.fake.add_message(scene.channel, member, content, attachments=attachments)
    record = await scene.fake.send_message_context(
        scene.channel, member, "Submit solution", message
    )
    await acknowledged(record)
    return await record.wait_for_response(GRADING_TIMEOUT_S)


async def test_txt_and_discords_message_txt_files_are_graded(scene: Scene) -> None:
    member = scene.learner()
    plain = await scene.submit_file(member, "echo-twice", ECHO_RIGHT, filename="solution.txt")
    assert embed_of(plain)["title"] == "✅ Accepted · Echo twice"
    pasted = f"here is my code\n```python\n{SHOUT_RIGHT}```\n"  # a long paste, fences included
    auto = await scene.submit_file(member, "shout-twice", pasted, filename="message.txt")
    assert embed_of(auto)["title"] == "✅ Accepted · Shout twice"
    assert auto.content == ""
    scene.fake.assert_no_violations()


async def test_message_menu_grades_an_attached_message_txt(scene: Scene) -> None:
    member = scene.learner()
    pasted = scene.fake.make_attachment("message.txt", f"```py\n{ECHO_RIGHT}```", "text/plain")
    verdict = await menu_verdict(scene, member, "echo-twice", (pasted,))
    assert embed_of(verdict)["title"] == "✅ Accepted · Echo twice"
    source = scene.fake.make_attachment("answer.py", SHOUT_RIGHT)
    picker = await menu_verdict(scene, member, "", (source,))
    assert picker.content == "Which task is this code for?"
    chosen = await scene.fake.select(picker, picker.custom_ids()[0], ["shout-twice"], member)
    await acknowledged(chosen)
    verdict = await chosen.wait_for_response(GRADING_TIMEOUT_S)
    assert embed_of(verdict)["title"] == "✅ Accepted · Shout twice"
    scene.fake.assert_no_violations()


async def test_message_menu_refuses_other_files_saying_what_it_takes(scene: Scene) -> None:
    member = scene.learner()
    picture = scene.fake.make_attachment("screenshot.png", b"\x89PNG", "image/png")
    reply = await menu_verdict(scene, member, "echo-twice", (picture,))
    assert reply.ephemeral
    assert reply.content.startswith("That message has no code block.")
    assert "Attach a `.py` or `.txt` file" in reply.content
    scene.fake.assert_no_violations()


@pytest.mark.parametrize(
    ("content", "hint"),
    [
        (f"echo-twice\n```Python3\n{ECHO_RIGHT}```", None),
        (f"echo-twice ```\n{ECHO_RIGHT}```", None),
        (f"echo-twice\n´´´python\n{ECHO_RIGHT}´´´", LOOKALIKE_HINT),
        (f"echo-twice\n‘‘‘\n{ECHO_RIGHT}’’’", LOOKALIKE_HINT),
        (f"echo-twice\n```python\n{ECHO_RIGHT}", UNCLOSED_HINT),
    ],
    ids=["any-tag", "after-prose", "acute-accents", "curly-quotes", "unclosed"],
)
async def test_message_menu_reads_blocks_as_typed(
    scene: Scene, content: str, hint: str | None
) -> None:
    verdict = await menu_verdict(scene, scene.learner(), content)
    assert embed_of(verdict)["title"] == "✅ Accepted · Echo twice"
    assert verdict.content == (hint or "")
    scene.fake.assert_no_violations()


async def test_one_line_blocks_are_code_and_a_tag_on_the_line_is_dropped(scene: Scene) -> None:
    member = scene.learner()
    for content, hint in (
        ("echo-twice: ```print(input())```", None),
        ("echo-twice: ```py print(input())```", INLINE_TAG_HINT),
    ):
        verdict = await menu_verdict(scene, member, content)
        assert embed_of(verdict)["title"] == "❌ Wrong answer · Echo twice"  # graded as typed
        assert verdict.content == (hint or "")
    scene.fake.assert_no_violations()


async def test_message_menu_acknowledges_before_reading_the_database(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def slow_listing(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(ACK_DEADLINE_S + 0.5)
        return await listing(*args, **kwargs)

    monkeypatch.setattr(_cog, "autocomplete", slow_listing)
    member = scene.learner()
    message = scene.fake.add_message(scene.channel, member, f"echo-twice```py\n{ECHO_RIGHT}```")
    record = await scene.fake.send_message_context(
        scene.channel, member, "Submit solution", message
    )
    assert await acknowledged(record) == DEFERRED_CHANNEL_MESSAGE
    verdict = await record.wait_for_response(GRADING_TIMEOUT_S)
    assert embed_of(verdict)["title"] == "✅ Accepted · Echo twice"
    scene.fake.assert_no_violations()
