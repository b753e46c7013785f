"""Each Discord rule broken by the real bot is refused with Discord's error and recorded."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import aiohttp
import discord
import pytest

from tests.fakediscord import running_bot, running_fake

from .sample_bot import SampleBot, Scene


async def test_too_long_message_is_refused(scene: Scene) -> None:
    record = await scene.fake.send_slash(scene.channel, scene.learner, "shout")
    error = await record.wait_for_error()
    assert error == (
        "400 Invalid Form Body (code 50035): data.content: Must be 2000 or fewer in length."
    )
    await scene.fake.wait_until(lambda: scene.bot.outcomes or None)
    assert scene.bot.outcomes == ["shout refused: 50035"]
    assert len(scene.fake.violations) == 1
    assert "data.content" in scene.fake.violations[0]


async def test_too_long_embed_title_is_refused(scene: Scene) -> None:
    channel = scene.bot.get_channel(scene.channel.id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as raised:
        await channel.send(embed=discord.Embed(title="T" * 257))
    assert (raised.value.status, raised.value.code) == (400, 50035)
    assert "embeds.0.title: Must be 256 or fewer in length." in scene.fake.violations[0]
    assert scene.fake.messages_in(scene.channel) == []


async def test_modal_over_limits_is_refused(scene: Scene) -> None:
    record = await scene.fake.send_slash(scene.channel, scene.learner, "badmodal")
    assert "data.title: Must be 45 or fewer in length." in await record.wait_for_error()
    await scene.fake.wait_until(lambda: scene.bot.outcomes or None)
    assert scene.bot.outcomes == ["modal refused: 50035"]
    assert record.ack_type is None


async def test_initial_response_after_the_deadline_is_unknown_interaction(scene: Scene) -> None:
    scene.fake.ack_deadline_s = 0.3
    scene.bot.slow_s = 0.5
    record = await scene.fake.send_slash(scene.channel, scene.learner, "slow")
    error = await record.wait_for_error()
    assert re.fullmatch(
        r"404 Unknown interaction \(code 10062\): initial response (\d+\.\d\d)s after "
        r"dispatch; the deadline is 0\.30s",
        error,
    )
    await scene.fake.wait_until(lambda: scene.bot.outcomes or None)
    assert scene.bot.outcomes == ["slow refused: 10062"]
    assert len(scene.fake.violations) == 1


async def test_second_initial_response_is_already_acknowledged(scene: Scene) -> None:
    record = await scene.fake.send_slash(scene.channel, scene.learner, "ping")
    await record.wait_for_response()
    url = f"{scene.fake.api_base}/interactions/{record.id}/{record.token}/callback"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json={"type": 4, "data": {"content": "again"}}) as response,
    ):
        assert response.status == 400
        assert (await response.json())["code"] == 40060
    assert scene.fake.violations[0].endswith(
        "400 Interaction has already been acknowledged. (code 40060): "
        f"interaction {record.id} was answered with type 4 before"
    )


async def test_followup_before_acknowledgement_is_refused(scene: Scene) -> None:
    record = await scene.fake.send_slash(scene.channel, scene.learner, "early")
    assert (await record.wait_for_response()).content == "acknowledged"
    assert scene.bot.outcomes == ["early refused: 10015"]
    assert record.errors == [
        "404 Unknown Webhook (code 10015): used before the interaction was acknowledged"
    ]
    assert len(scene.fake.violations) == 1


async def test_role_grant_follows_the_hierarchy(scene: Scene) -> None:
    fake = scene.fake
    bot_role = fake.bot_top_role(scene.guild)
    moved = asyncio.ensure_future(
        scene.bot.wait_for(
            "guild_role_update", check=lambda _, after: after.id == bot_role.id, timeout=5
        )
    )
    await asyncio.sleep(0)
    achiever = fake.add_role(scene.guild, "On Fire")
    assert (await moved)[1].position == bot_role.position == 2
    above = fake.add_role(
        scene.guild, "Admins", position=fake.bot_top_role(scene.guild).position + 1
    )
    granted = await fake.send_slash(
        scene.channel, scene.learner, "grant", {"member": scene.learner, "role": achiever}
    )
    assert (await granted.wait_for_response()).content == "granted On Fire"
    assert fake.role_names_of(scene.guild, scene.learner) == ["On Fire"]
    refused = await fake.send_slash(
        scene.channel, scene.learner, "grant", {"member": scene.learner, "role": above}
    )
    assert (await refused.wait_for_response()).content == "cannot grant Admins"
    assert fake.role_names_of(scene.guild, scene.learner) == ["On Fire"]
    assert len(fake.permission_denials) == 1
    assert (
        "role 'Admins' (position 3) is not below the bot's highest role (position 2)"
        in (fake.permission_denials[0])
    )
    fake.assert_no_violations()


async def test_followup_after_token_expiry_is_refused() -> None:
    async with running_fake(token_lifetime_s=0.3) as fake:
        guild = fake.create_guild()
        channel = fake.add_text_channel(guild, "general")
        learner = fake.add_member(guild, "ada")
        async with running_bot(fake, SampleBot(guild.id)) as bot:
            bot.slow_s = 0.5
            record = await fake.send_slash(channel, learner, "work")
            error = await record.wait_for_error()
    assert error == (
        "401 Invalid Webhook Token (code 50027): the interaction token expired after 0.3s"
    )
    assert record.followups == []


async def test_invalid_command_definitions_are_refused(scene: Scene) -> None:
    bad: list[dict[str, Any]] = [
        {
            "name": "submit",
            "description": "Submit code.",
            "options": [
                {"type": 3, "name": "note", "description": "Optional note."},
                {"type": 3, "name": "task", "description": "Task slug.", "required": True},
            ],
        },
        {"name": "Shout", "description": ""},
    ]
    with pytest.raises(discord.HTTPException) as raised:
        await scene.bot.http.bulk_upsert_guild_commands(
            scene.fake.application.id, scene.guild.id, bad
        )
    assert (raised.value.status, raised.value.code) == (400, 50035)
    violation = scene.fake.violations[0]
    assert "0.options.1: Required options must be placed before non-required options" in violation
    assert "1.name: Command name is invalid" in violation
    assert "1.description: Must be between 1 and 100 in length." in violation
