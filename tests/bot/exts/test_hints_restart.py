"""A Reveal button keeps working after the bot restarted: it lives in its custom id, not in a
view the bot would forget."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.db import session_scope
from core.models import Task
from tests.fakediscord import running_fake
from tests.support.bot_scene import acknowledged, bot_on, embed_of
from tests.support.content_factories import task_document
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_a_reveal_button_shown_before_a_restart_reveals_after_it(
    module_sessions: Sessions, grader: ScriptedGrader
) -> None:
    document = task_document("night-echo", title="Night echo", hints=["Read one line."])
    async with session_scope(module_sessions) as session:
        await upsert_tasks(session, [TaskFile.model_validate(document)])
        task_id = await session.scalar(select(Task.id).where(Task.slug == "night-echo"))
    async with running_fake() as fake:
        guild = fake.create_guild("Night School")
        channel = fake.add_text_channel(guild, "general")
        learner = fake.add_member(guild, "owl")
        async with bot_on(fake, guild, module_sessions, grader):
            asked = await fake.send_slash(channel, learner, "hint", {"task": "night-echo"})
            await acknowledged(asked)
            offered = await asked.wait_for_response()
        async with bot_on(fake, guild, module_sessions, grader):
            pressed = await fake.click_button(
                offered, f"codestreak:hint:{learner.user.id}:{task_id}:0", learner
            )
            assert await acknowledged(pressed) == 6
            revealed = await pressed.wait_for_response()
        assert [f["value"] for f in embed_of(revealed)["fields"]] == ["Read one line."]
        assert revealed.custom_ids() == []
        fake.assert_no_violations()
