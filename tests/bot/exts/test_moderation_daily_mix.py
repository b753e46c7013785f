"""`/mod daily-mix`: moderators choose the difficulty of each day's challenge; `/mod settings`
shows the mix in force, and the days' challenges follow it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.daily import daily_for
from core.db import session_scope
from core.models import GuildSettings, Task
from tests.support.bot_scene import Scene, embed_of

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def _settings_mix(scene: Scene) -> str:
    reply = await scene.reply(scene.moderator, "mod settings")
    listed = embed_of(reply).get("fields", [])
    assert isinstance(listed, list)
    return next(str(f["value"]) for f in listed if f["name"] == "Daily mix")


async def test_a_server_starts_with_the_beginners_mix(scene: Scene) -> None:
    assert await _settings_mix(scene) == "mon-thu: easy; fri: medium; sat-sun: hard"
    scene.fake.assert_no_violations()


async def test_moderators_set_a_mix_the_days_follow_and_reset_it(scene: Scene) -> None:
    reply = await scene.reply(scene.moderator, "mod daily-mix", {"mix": "every day: hard"})
    assert reply.ephemeral
    assert reply.content.startswith("Daily challenges now follow `every day: hard`.")
    assert await _settings_mix(scene) == "every day: hard"
    async with session_scope(scene.sessions) as session:
        hard = set(await session.scalars(select(Task.id).where(Task.difficulty == "hard")))
        assert hard
        monday = date(2030, 1, 7)
        for day in (monday + timedelta(days=i) for i in range(3)):
            assert (await daily_for(session, scene.guild.id, day)).task_id in hard
    reset = await scene.reply(scene.moderator, "mod daily-mix", {"mix": "Default"})
    assert "(the default)" in reset.content
    async with scene.sessions() as session:
        settings = await session.get(GuildSettings, scene.guild.id)
    assert settings is not None
    assert settings.daily_mix is None
    scene.fake.assert_no_violations()


async def test_a_mix_that_cannot_be_read_is_refused_with_what_to_write(scene: Scene) -> None:
    reply = await scene.reply(scene.moderator, "mod daily-mix", {"mix": "someday: easy"})
    assert reply.ephemeral
    assert reply.content.startswith("`someday` is not a day: use mon, tue")
    assert await _settings_mix(scene) == "mon-thu: easy; fri: medium; sat-sun: hard"
    scene.fake.assert_no_violations()
