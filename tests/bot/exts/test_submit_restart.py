"""No typed code is lost to a code box left open: discord.py forgets a modal when its view times
out (after its `timeout`) or the bot restarts, and then drops the submission unanswered."""

from __future__ import annotations

import pytest

from tests.fakediscord import running_fake
from tests.support.bot_scene import (
    CODE_FIELD,
    ECHO_RIGHT,
    GRADING_TIMEOUT_S,
    acknowledged,
    bot_on,
    embed_of,
)
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_a_code_box_sent_after_the_bot_forgot_it_is_still_graded(
    module_sessions: Sessions, grader: ScriptedGrader
) -> None:
    async with running_fake() as fake:
        guild = fake.create_guild("Night School")
        channel = fake.add_text_channel(guild, "general")
        learner = fake.add_member(guild, "owl")
        async with bot_on(fake, guild, module_sessions, grader):
            opened = await fake.send_slash(channel, learner, "submit", {"task": "echo-twice"})
            await opened.wait_for_modal()
        # the learner types for a long while; the bot restarts (or the box's view times out)
        async with bot_on(fake, guild, module_sessions, grader):
            submitted = await fake.submit_modal(opened, {CODE_FIELD: ECHO_RIGHT})
            await acknowledged(submitted)
            verdict = await submitted.wait_for_response(GRADING_TIMEOUT_S)
        assert embed_of(verdict)["title"] == "✅ Accepted · Echo twice"
        assert verdict.ephemeral
        fake.assert_no_violations()
