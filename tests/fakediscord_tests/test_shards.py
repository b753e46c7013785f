"""Shard routing as Discord does it: each shard session holds its guilds, DMs go to shard 0."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.fakediscord import FakeDiscord, running_bot, running_fake


class ShardProbe(discord.AutoShardedClient):
    """A sharded client with one global command, /where, answered with the probe's label."""

    def __init__(self, label: str, *, sync: bool = False, **shards: Any) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.1, **shards)
        self.label = label
        self.sync = sync
        self.tree = app_commands.CommandTree(self)
        self.interactions: list[int | None] = []
        self.messages: list[str] = []

        @self.tree.command(name="where", description="Which process answers.")
        async def where(interaction: discord.Interaction) -> None:
            self.interactions.append(interaction.guild_id)
            await interaction.response.send_message(self.label)

    async def setup_hook(self) -> None:
        """Sync the command globally when this probe is the one that syncs."""
        if self.sync:
            await self.tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        """Note every message received."""
        self.messages.append(message.content)


def guild_ids(client: discord.Client) -> set[int]:
    """The guilds a client holds."""
    return {guild.id for guild in client.guilds}


async def test_each_shard_holds_only_its_guilds_also_those_joined_later(fake: FakeDiscord) -> None:
    first = fake.create_guild("on shard 0", shard=(0, 2))
    second = fake.create_guild("on shard 1", shard=(1, 2))
    async with (
        running_bot(fake, ShardProbe("zero", shard_count=2, shard_ids=[0])) as zero,
        running_bot(fake, ShardProbe("one", shard_count=2, shard_ids=[1])) as one,
    ):
        assert (guild_ids(zero), guild_ids(one)) == ({first.id}, {second.id})
        arrived = asyncio.ensure_future(one.wait_for("guild_available", timeout=5))
        await asyncio.sleep(0)
        later = fake.create_guild("joined later", shard=(1, 2))
        assert (await arrived).id == later.id
        await asyncio.sleep(0.1)  # time enough for a stray GUILD_CREATE to reach the other
        assert (guild_ids(zero), guild_ids(one)) == ({first.id}, {second.id, later.id})
    assert sorted(s.shard or [] for s in fake.gateway.sessions.values()) == [[0, 2], [1, 2]]
    fake.assert_no_violations()


async def test_interactions_go_to_their_guilds_shard_and_direct_messages_to_shard_0(
    fake: FakeDiscord,
) -> None:
    first = fake.create_guild("on shard 0", shard=(0, 2))
    second = fake.create_guild("on shard 1", shard=(1, 2))
    channels = [fake.add_text_channel(guild, "general") for guild in (first, second)]
    ada = fake.add_member(first, "ada")
    fake.join_guild(second, ada.user)
    async with (
        running_bot(fake, ShardProbe("zero", sync=True, shard_count=2, shard_ids=[0])) as zero,
        running_bot(fake, ShardProbe("one", shard_count=2, shard_ids=[1])) as one,
    ):
        await fake.wait_for_command_sync()
        answers = []
        for channel in [*channels, fake.open_dm(ada.user)]:
            record = await fake.send_slash(channel, ada, "where")
            answers.append((await record.wait_for_response()).content)
        dm = fake.add_message(fake.open_dm(ada.user), ada, "hello")
        await asyncio.sleep(0.2)
    assert answers == ["zero", "one", "zero"]
    assert (zero.interactions, one.interactions) == ([first.id, None], [second.id])
    assert (dm.content in zero.messages, dm.content in one.messages) == (True, False)
    fake.assert_no_violations()


async def test_an_unsharded_client_takes_the_recommended_shard_count() -> None:
    async with running_fake(shards=3) as fake:
        guilds = {fake.create_guild(f"on shard {i}", shard=(i, 3)).id for i in range(3)}
        async with running_bot(fake, ShardProbe("all")) as probe:
            assert (probe.shard_count, sorted(probe.shards)) == (3, [0, 1, 2])
            assert guild_ids(probe) == guilds
            assert {g.id: g.shard_id for g in probe.guilds} == {
                guild: (guild >> 22) % 3 for guild in guilds
            }
        assert "GET /api/v10/gateway/bot -> 200" in fake.requests
        fake.assert_no_violations()


async def test_a_shard_outside_the_count_is_refused(fake: FakeDiscord) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(fake.gateway_url + "?v=10&encoding=json") as ws,
    ):
        assert (await ws.receive_json(timeout=5))["op"] == 10
        identify = {"token": fake.token, "intents": 513, "properties": {}, "shard": [2, 2]}
        await ws.send_json({"op": 2, "d": identify})
        closed = await ws.receive(timeout=5)
    assert (closed.type, ws.close_code) == (aiohttp.WSMsgType.CLOSE, 4010)
    assert fake.violations == ["gateway: invalid shard [2, 2], expected [shard_id, num_shards]"]


async def test_an_interaction_no_session_holds_is_an_error(fake: FakeDiscord) -> None:
    first = fake.create_guild("on shard 0", shard=(0, 2))
    second = fake.create_guild("on shard 1", shard=(1, 2))
    ada = fake.add_member(second, "ada")
    channel = fake.add_text_channel(second, "general")
    probe = ShardProbe("zero", sync=True, shard_count=2, shard_ids=[0])
    async with running_bot(fake, probe):
        await fake.wait_for_command_sync()
        assert guild_ids(probe) == {first.id}
        with pytest.raises(
            RuntimeError, match=f"no bot session holds the shard of guild {second.id}"
        ):
            await fake.send_slash(channel, ada, "where")
    fake.assert_no_violations()
