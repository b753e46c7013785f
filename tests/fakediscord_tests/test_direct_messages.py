"""Direct messages as Discord serves them to a bot: one DM channel per user, the usual message
limits, and the recipients Discord refuses (403, code 50007)."""

from __future__ import annotations

import discord
import pytest

from .sample_bot import Scene

CANNOT_MESSAGE_USER = 50007


async def test_a_dm_channel_is_one_per_user_and_carries_messages(scene: Scene) -> None:
    channel = await scene.bot.create_dm(discord.Object(scene.learner.user.id))
    assert isinstance(channel, discord.DMChannel)
    assert channel.id == scene.fake.open_dm(scene.learner.user).id
    assert channel.recipient is not None
    assert channel.recipient.id == scene.learner.user.id
    sent = await channel.send("hello <t:1777939200:R>")
    (stored,) = scene.fake.dm_messages_to(scene.learner)
    assert (stored.id, stored.content, stored.guild_id) == (sent.id, sent.content, None)
    scene.fake.assert_no_violations()


async def test_dms_keep_discords_message_limits(scene: Scene) -> None:
    channel = await scene.bot.create_dm(discord.Object(scene.learner.user.id))
    with pytest.raises(discord.HTTPException) as refused:
        await channel.send("x" * 2001)
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert scene.fake.dm_messages_to(scene.learner) == []


@pytest.mark.parametrize("who", ["closed", "bot", "stranger"])
async def test_discord_refuses_dms_to_closed_bots_and_strangers(scene: Scene, who: str) -> None:
    if who == "closed":
        recipient = scene.learner.user
        recipient.dms_closed = True
    elif who == "bot":
        recipient = scene.fake.add_member(scene.guild, "other-bot").user
        recipient.bot = True
    else:
        recipient = scene.fake.add_user("nobody-here")
    channel = await scene.bot.create_dm(discord.Object(recipient.id))
    with pytest.raises(discord.Forbidden) as refused:
        await channel.send("hi")
    assert refused.value.code == CANNOT_MESSAGE_USER
    assert refused.value.text == "Cannot send messages to this user"
    assert scene.fake.dm_messages_to(recipient) == []
