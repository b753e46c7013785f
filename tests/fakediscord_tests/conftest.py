"""Fixtures for the fake's own tests: a running fake with one guild, and the sample bot on it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakediscord import FakeDiscord, running_bot, running_fake

from .sample_bot import SampleBot, Scene


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
