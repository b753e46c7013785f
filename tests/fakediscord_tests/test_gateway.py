"""The real discord.py client connects, resumes and is refused exactly as Discord would do."""

from __future__ import annotations

import asyncio
import json
import zlib
from typing import Any

import aiohttp
import discord
import pytest
from discord.http import Route

from tests.fakediscord import FakeDiscord, discord_py_pointed_at, running_bot, running_fake

from .sample_bot import SampleBot, Scene


async def test_bot_logs_in_and_sees_its_guild(scene: Scene) -> None:
    guild = scene.bot.get_guild(scene.guild.id)
    assert guild is not None
    assert guild.me.top_role.name == "CodeStreak"
    assert [c.name for c in guild.text_channels] == ["general"]
    assert scene.bot.user is not None
    assert scene.bot.user.id == scene.fake.bot_user.id
    assert {"GET /api/v10/users/@me -> 200", "GET /api/v10/oauth2/applications/@me -> 200"} <= set(
        scene.fake.requests
    )
    scene.fake.assert_no_violations()


async def test_bot_with_members_intent_receives_every_member(fake: FakeDiscord) -> None:
    guild = fake.create_guild()
    fake.add_member(guild, "ada")
    intents = discord.Intents.default()
    intents.members = True
    async with running_bot(fake, SampleBot(guild.id, intents=intents)) as bot:
        names = {m.name for m in bot.get_guild(guild.id).members}  # type: ignore[union-attr]
    assert "ada" in names
    fake.assert_no_violations()


@pytest.mark.parametrize(("content_intent", "seen"), [(True, "print(1)"), (False, "")])
async def test_message_content_needs_its_intent(
    fake: FakeDiscord, content_intent: bool, seen: str
) -> None:
    guild = fake.create_guild()
    channel = fake.add_text_channel(guild, "general")
    ada = fake.add_member(guild, "ada")
    intents = discord.Intents.default()
    intents.message_content = content_intent
    async with running_bot(fake, SampleBot(guild.id, intents=intents)) as bot:
        waiter = asyncio.ensure_future(bot.wait_for("message", timeout=5))
        await asyncio.sleep(0)
        fake.add_message(channel, ada, "print(1)")
        message = await waiter
    assert (message.author.name, message.content) == ("ada", seen)
    fake.assert_no_violations()


async def test_privileged_intent_not_enabled_closes_with_4014() -> None:
    async with running_fake(privileged_intents=0) as fake:
        guild = fake.create_guild()
        intents = discord.Intents.default()
        intents.members = True
        with pytest.raises(discord.PrivilegedIntentsRequired):
            async with running_bot(fake, SampleBot(guild.id, intents=intents)):
                pass
        assert any("privileged intents" in v for v in fake.violations)


async def test_dropped_connection_is_resumed_and_keeps_working(scene: Scene) -> None:
    await scene.fake.disconnect_bot()
    await scene.fake.wait_until(
        lambda: scene.fake.gateway.resume_count or None, 10, "the bot to resume"
    )
    await scene.fake.wait_until_bot_ready()
    record = await scene.fake.send_slash(scene.channel, scene.learner, "ping")
    assert (await record.wait_for_response()).content == "pong"
    assert scene.fake.gateway.identify_count == 1
    scene.fake.assert_no_violations()


async def _receive_frame(
    ws: aiohttp.ClientWebSocketResponse, inflator: Any | None
) -> dict[str, Any]:
    message = await ws.receive(timeout=5)
    if inflator is None:
        assert message.type is aiohttp.WSMsgType.TEXT
        return dict(json.loads(message.data))
    assert message.type is aiohttp.WSMsgType.BINARY
    assert message.data.endswith(b"\x00\x00\xff\xff")
    return dict(json.loads(inflator.decompress(message.data)))


@pytest.mark.parametrize("compressed", [True, False])
async def test_gateway_frames_use_one_zlib_stream_when_asked(
    fake: FakeDiscord, compressed: bool
) -> None:
    fake.create_guild()
    query = "?v=10&encoding=json" + ("&compress=zlib-stream" if compressed else "")
    inflator = zlib.decompressobj() if compressed else None
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(fake.gateway_url + query) as ws,
    ):
        hello = await _receive_frame(ws, inflator)
        assert hello["op"] == 10
        assert hello["d"]["heartbeat_interval"] > 0
        await ws.send_json({"op": 1, "d": None})
        assert (await _receive_frame(ws, inflator))["op"] == 11
        await ws.send_json({"op": 2, "d": {"token": fake.token, "intents": 513, "properties": {}}})
        ready = await _receive_frame(ws, inflator)
        guild_create = await _receive_frame(ws, inflator)
    assert (ready["t"], ready["s"]) == ("READY", 1)
    assert ready["d"]["resume_gateway_url"] == fake.gateway_url
    assert (guild_create["t"], guild_create["s"]) == ("GUILD_CREATE", 2)
    assert [m["user"]["username"] for m in guild_create["d"]["members"]] == ["CodeStreak"]


async def test_wrong_token_is_refused_over_rest(fake: FakeDiscord) -> None:
    bot = SampleBot(fake.create_guild().id)
    with (
        discord_py_pointed_at(fake.api_base, fake.gateway_url),
        pytest.raises(discord.LoginFailure),
    ):
        await bot.login("not-the-token")
    await bot.close()
    assert fake.violations == [
        "GET /api/v10/users/@me: 401 401: Unauthorized (code 40001): missing or wrong "
        "'Authorization: Bot <token>' header"
    ]


async def test_unimplemented_route_is_a_violation(scene: Scene) -> None:
    route = Route("GET", "/guilds/{guild_id}/emojis", guild_id=scene.guild.id)
    with pytest.raises(discord.NotFound):
        await scene.bot.http.request(route)
    assert scene.fake.violations == [
        f"GET /api/v10/guilds/{scene.guild.id}/emojis: route not implemented by the fake "
        "(Discord API misuse, or a route the fake must learn)"
    ]
