"""Async context managers for tests: a running fake, and a real discord.py bot connected to it.

async with running_fake() as fake:
    guild = fake.create_guild()
    channel = fake.add_text_channel(guild, "general")
    learner = fake.add_member(guild, "ada")
    async with running_bot(fake, make_bot()):
        record = await fake.send_slash(channel, learner, "ping")
        assert (await record.wait_for_response()).content == "pong"
    fake.assert_no_violations()
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import discord

from .discord_py_config import discord_py_pointed_at
from .fake_discord import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)


@asynccontextmanager
async def running_fake(**settings: Any) -> AsyncIterator[FakeDiscord]:
    """A started :class:`FakeDiscord` (``settings`` go to its constructor), stopped afterwards."""
    fake = FakeDiscord(**settings)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@asynccontextmanager
async def running_bot(
    fake: FakeDiscord, bot: ClientT, *, ready_timeout: float = 15.0
) -> AsyncIterator[ClientT]:
    """Start ``bot`` against ``fake`` and yield it once its ``on_ready`` fired; close it after.

    Create the bot with ``guild_ready_timeout=0.1`` (a Client option), or discord.py waits two
    seconds after the last GUILD_CREATE before it calls itself ready.
    """
    with discord_py_pointed_at(fake.api_base, fake.gateway_url):
        runner = asyncio.create_task(bot.start(fake.token))
        ready = asyncio.create_task(bot.wait_until_ready())
        try:
            done, _ = await asyncio.wait(
                {runner, ready}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if runner in done:
                runner.result()
                raise RuntimeError("the bot stopped before it became ready")
            if ready not in done:
                raise TimeoutError(
                    f"the bot was not ready after {ready_timeout}s; violations: {fake.violations}"
                )
            yield bot
        finally:
            ready.cancel()
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError, discord.DiscordException):
                await asyncio.wait_for(runner, 5)
