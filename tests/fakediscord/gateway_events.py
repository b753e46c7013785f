"""Gateway intents and the interface through which the world announces changes to the bot."""

from __future__ import annotations

from enum import IntFlag
from typing import Protocol

from .models import FakeMessage, Json


class Intent(IntFlag):
    """Gateway intents the fake honours (the bits the bot sends in IDENTIFY)."""

    NONE = 0
    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    DIRECT_MESSAGES = 1 << 12
    MESSAGE_CONTENT = 1 << 15


PRIVILEGED_INTENTS = Intent.GUILD_MEMBERS | Intent.GUILD_PRESENCES | Intent.MESSAGE_CONTENT
KNOWN_INTENT_BITS = (1 << 26) - 1


class EventSink(Protocol):
    """Where world changes go: the gateway, which forwards them to connected bots."""

    @property
    def connected(self) -> bool:
        """Whether a bot is connected and has received READY."""
        ...

    def dispatch(self, event: str, data: Json, intent: Intent, *, guild_id: int | None) -> int:
        """Send ``event`` of ``guild_id`` (None: not of a guild) to every bot session on that
        guild's shard (DMs: shard 0) whose intents include ``intent`` (NONE: always sent);
        how many sessions it went to."""
        ...

    def dispatch_message(self, event: str, message: FakeMessage, member: Json | None) -> None:
        """Send a MESSAGE_CREATE/UPDATE to the message's shard, hiding content from bots
        without MESSAGE_CONTENT."""
        ...
