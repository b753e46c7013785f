"""On Discord, a hidden test's input, expected output, output and errors are never shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakediscord import FakeMessage
from tests.support.bot_scene import ECHO_CRASH, Scene, embed_of, field_value
from tests.support.fake_grader import LEAK, SECRETS, load_secret_task

pytestmark = pytest.mark.asyncio(loop_scope="module")


def _revealed(message: FakeMessage) -> list[str]:
    """The secrets found anywhere in a message: its text, embeds and attachments."""
    shown = message.content + json.dumps(message.embeds)
    shown += "".join(a.content.decode() for a in message.attachments)
    return [secret for secret in SECRETS if secret in shown]


@pytest.mark.usefixtures("real_sandbox")
async def test_a_program_echoing_a_hidden_test_reveals_it_nowhere(
    scene: Scene, tmp_path: Path
) -> None:
    await load_secret_task(scene.sessions, tmp_path)
    ada = scene.learner("ada")
    verdict = await scene.submit_modal(ada, "secret-echo", LEAK)
    assert embed_of(verdict)["title"] == "💥 Runtime error · Secret echo"
    assert "runtime error on a hidden test" in field_value(verdict, "Error")
    assert "its data stays secret" in field_value(verdict, "Hidden test failed")
    export = await scene.reply(ada, "export")
    (attachment,) = export.attachments
    (submission,) = json.loads(attachment.content)["submissions"]
    assert submission["message"] == "runtime error on a hidden test"
    profile = await scene.reply(ada, "profile")
    for message in (verdict, export, profile):
        assert _revealed(message) == []
    scene.fake.assert_no_violations()


async def test_the_first_visible_error_is_shown_in_full(scene: Scene, tmp_path: Path) -> None:
    await load_secret_task(scene.sessions, tmp_path)
    verdict = await scene.submit_modal(scene.learner(), "secret-echo", ECHO_CRASH)
    assert "ValueError: boom a" in field_value(verdict, "Error")
    assert "Traceback" in field_value(verdict, "Error")
    assert field_value(verdict, "Test 1 input") == "```\na\n\n```"
    assert _revealed(verdict) == []
    scene.fake.assert_no_violations()
