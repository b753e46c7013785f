"""`/task` as learners read it in Discord: a shipped statement's table rewritten, its example
shown once, the embed linked to the task's page (a server's own task under that server's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.db import session_scope
from tests.support.bot_scene import Scene, embed_of
from tests.support.content_factories import task_document

pytestmark = pytest.mark.asyncio(loop_scope="module")

SHIPPED = Path(__file__).parents[3] / "data" / "tasks" / "gray-code-converter.json"


async def test_a_shipped_task_shows_its_table_as_code_and_each_example_once(scene: Scene) -> None:
    async with session_scope(scene.sessions) as session:
        await upsert_tasks(session, [TaskFile.model_validate(json.loads(SHIPPED.read_text()))])
    reply = await scene.reply(scene.learner(), "task", {"task": "gray-code-converter"})
    embed = embed_of(reply)
    description = embed["description"]
    assert "|---|" not in description
    assert "```\nx  binary  Gray code  binary\n-  ------  ---------  ------\n2  010" in description
    assert description.count("ENC 4") == 1  # the statement's own example
    examples = [f["value"] for f in embed["fields"] if f["name"].startswith("Example")]
    assert examples == ["```\nENC 0\nDEC 0\n\n```"]  # the visible test it does not show
    assert embed["url"] == "http://codestreak.test/tasks/gray-code-converter"
    scene.fake.assert_no_violations()


async def test_a_servers_own_task_links_to_its_page_under_the_server(scene: Scene) -> None:
    own = task_document("house-echo", title="House echo")
    async with session_scope(scene.sessions) as session:
        await upsert_tasks(session, [TaskFile.model_validate(own)], owner=scene.guild.id)
    reply = await scene.reply(scene.learner(), "task", {"task": "house-echo"})
    assert embed_of(reply)["url"] == f"http://codestreak.test/s/{scene.guild.id}/tasks/house-echo"
    scene.fake.assert_no_violations()
