"""Fixtures for the fake's own tests: a running fake with one guild, and the sample bot on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from tests.fakediscord import (
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeMember,
    running_bot,
    running_fake,
)

from .sample_bot import SampleBot


@dataclass
class Scene:
    """The fake, its guild, a channel, a learner, and the connected sample bot."""

    fake: FakeDiscord
    guild: FakeGuild
    channel: FakeChannel
    learner: FakeMember
    bot: SampleBot


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """A running fake with Discord's real deadlines."""
    async with running_fake() as running:
        yield running


@pytest.fixture
async def scene(fake: FakeDiscord) -> AsyncIterator[Scene]:
    """The sample bot connected to ``fake``, its commands synced."""
    guild = fake.create_guild("Test Server")
    channel = fake.add_text_channel(guild, "general")
    learner = fake.add_member(guild, "ada")
    async with running_bot(fake, SampleBot(guild.id)) as bot:
        await fake.wait_for_command_sync(guild)
        yield Scene(fake, guild, channel, learner, bot)
