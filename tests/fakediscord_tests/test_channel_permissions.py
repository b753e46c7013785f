"""Channel permission overwrites and closed DMs: what discord.py sees and what the API answers."""

from __future__ import annotations

import asyncio

import discord
import pytest

from tests.fakediscord import FakeChannel
from tests.fakediscord.permissions import (
    EMBED_LINKS,
    SEND_MESSAGES,
    VIEW_CHANNEL,
)

from .sample_bot import Scene


async def overwrite(
    scene: Scene, channel: FakeChannel, *, allow: int = 0, deny: int = 0, on_bot: bool = True
) -> discord.TextChannel:
    """Overwrite the bot's role (or @everyone) in `channel`; the bot's updated channel."""
    updated = asyncio.ensure_future(
        scene.bot.wait_for(
            "guild_channel_update", check=lambda _, after: after.id == channel.id, timeout=5
        )
    )
    await asyncio.sleep(0)
    target = scene.fake.bot_top_role(scene.guild) if on_bot else scene.guild.everyone_role
    scene.fake.set_channel_overwrite(channel, target, allow=allow, deny=deny)
    _, after = await updated
    assert isinstance(after, discord.TextChannel)
    return after


async def test_a_denied_send_is_seen_by_the_bot_and_refused(scene: Scene) -> None:
    channel = await overwrite(scene, scene.channel, deny=SEND_MESSAGES)
    permissions = channel.permissions_for(channel.guild.me)
    assert permissions.view_channel
    assert not permissions.send_messages
    assert not permissions.embed_links  # implicitly gone with Send Messages
    with pytest.raises(discord.Forbidden) as refused:
        await channel.send("hello")
    assert refused.value.code == 50013
    assert scene.fake.messages_in(scene.channel) == []
    assert scene.fake.permission_denials
    scene.fake.assert_no_violations()


async def test_a_hidden_channel_is_missing_access(scene: Scene) -> None:
    channel = await overwrite(scene, scene.channel, deny=VIEW_CHANNEL, on_bot=False)
    assert not channel.permissions_for(channel.guild.me).view_channel
    with pytest.raises(discord.Forbidden) as refused:
        await channel.send("hello")
    assert refused.value.code == 50001


async def test_a_role_overwrite_allows_over_everyone(scene: Scene) -> None:
    await overwrite(scene, scene.channel, deny=EMBED_LINKS, on_bot=False)
    channel = await overwrite(scene, scene.channel, allow=EMBED_LINKS)
    assert channel.permissions_for(channel.guild.me).embed_links
    await channel.send(embed=discord.Embed(title="fine"))
    assert len(scene.fake.messages_in(scene.channel)) == 1
    scene.fake.assert_no_violations()


async def test_closed_dms_refuse_the_bot(scene: Scene) -> None:
    scene.learner.user.dms_closed = True
    user = await scene.bot.fetch_user(scene.learner.user.id)
    with pytest.raises(discord.Forbidden) as refused:
        await user.send("hi")
    assert refused.value.code == 50007
    scene.learner.user.dms_closed = False
    await user.send("hi again")
    assert [m.content for m in scene.fake.dm_messages_to(scene.learner)] == ["hi again"]
    scene.fake.assert_no_violations()
