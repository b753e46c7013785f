"""The bot's features, one folder each; each folder's `setup` adds it to the bot.

Outside a feature, only its public face (the folder's `__init__`) is imported. The features are
set up directly rather than loaded as discord.py extensions: loading re-imports a module, and
its classes would then differ from those the rest of the bot already holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts import account, daily, help, hints, learning, moderation, progress, reminders, submit

if TYPE_CHECKING:
    from bot.client import CodestreakBot

FEATURES = (learning, submit, account, progress, help, moderation, daily, reminders, hints)


async def add_features(bot: CodestreakBot) -> None:
    """Set up every feature on `bot`."""
    for feature in FEATURES:
        await feature.setup(bot)
