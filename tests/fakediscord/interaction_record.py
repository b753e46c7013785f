"""What the bot did with one interaction: its acknowledgement, response, modal and followups."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from .models import FakeChannel, FakeGuild, FakeMessage, FakeUser, Json
from .waiting import ChangeSignal

DEFAULT_TIMEOUT_S = 5.0

PONG = 1
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
MODAL = 9


@dataclass
class InteractionRecord:
    """One interaction sent to the bot, and everything the bot answered to it.

    ``ack_type`` is the callback type of the initial response (4 message, 5 deferred, 6 deferred
    update, 7 update, 8 autocomplete choices, 9 modal) and ``ack_delay_s`` how long after the
    dispatch it arrived. ``original`` is the response message (for component interactions: the
    message the component is on, once the bot acknowledged). ``errors`` lists the HTTP errors the
    fake answered to requests about this interaction.
    """

    id: int
    token: str
    type: int
    payload: Json
    user: FakeUser
    channel: FakeChannel
    guild: FakeGuild | None
    signal: ChangeSignal
    dispatched_at: float
    response_message_type: int = 0
    source_message: FakeMessage | None = None
    ack_type: int | None = None
    ack_delay_s: float | None = None
    original: FakeMessage | None = None
    modal: Json | None = None
    autocomplete_choices: list[Json] | None = None
    followups: list[FakeMessage] = field(default_factory=list)
    original_deleted: bool = False
    edits_after_ack: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ephemeral(self) -> bool:
        """Whether the response is visible to the invoking user only."""
        return self.original is not None and self.original.ephemeral

    def age_s(self) -> float:
        """Seconds since the interaction was dispatched to the bot."""
        return asyncio.get_running_loop().time() - self.dispatched_at

    async def wait_for_ack(self, timeout_s: float = DEFAULT_TIMEOUT_S) -> int:
        """The initial response's callback type, once the bot sent one."""
        return await self.signal.wait_for(
            lambda: self.ack_type, timeout_s, self._what("an initial response")
        )

    async def wait_for_response(self, timeout_s: float = DEFAULT_TIMEOUT_S) -> FakeMessage:
        """The visible response message: sent directly, or completed after a defer.

        After a deferred response (5) this waits until the bot edited the original response or
        sent its first followup (which Discord shows in place of "thinking..."); after a deferred
        update (6) until the bot edited the message.
        """
        return await self.signal.wait_for(
            self._visible_response, timeout_s, self._what("a visible response")
        )

    async def wait_for_modal(self, timeout_s: float = DEFAULT_TIMEOUT_S) -> Json:
        """The modal the bot answered with (callback type 9)."""
        return await self.signal.wait_for(lambda: self.modal, timeout_s, self._what("a modal"))

    async def wait_for_autocomplete(self, timeout_s: float = DEFAULT_TIMEOUT_S) -> list[Json]:
        """The autocomplete choices the bot answered with (callback type 8)."""
        return await self.signal.wait_for(
            lambda: self.autocomplete_choices, timeout_s, self._what("autocomplete choices")
        )

    async def wait_for_followup(
        self, count: int = 1, timeout_s: float = DEFAULT_TIMEOUT_S
    ) -> FakeMessage:
        """The ``count``-th followup message (1 = the first)."""
        return await self.signal.wait_for(
            lambda: self.followups[count - 1] if len(self.followups) >= count else None,
            timeout_s,
            self._what(f"followup #{count}"),
        )

    async def wait_for_error(self, timeout_s: float = DEFAULT_TIMEOUT_S) -> str:
        """The first HTTP error the fake answered to a request about this interaction."""
        return await self.signal.wait_for(
            lambda: self.errors[0] if self.errors else None,
            timeout_s,
            self._what("a rejected request"),
        )

    def _visible_response(self) -> FakeMessage | None:
        if self.ack_type in (AUTOCOMPLETE_RESULT, MODAL):
            raise AssertionError(
                f"the bot answered interaction {self.id} with callback type "
                f"{self.ack_type}, not a message"
            )
        message = self.original
        if message is None or self.ack_type is None:
            return None
        if self.ack_type == DEFERRED_CHANNEL_MESSAGE and message.loading:
            return None
        if self.ack_type == DEFERRED_UPDATE_MESSAGE and not self.edits_after_ack:
            return None
        return message

    def _what(self, thing: str) -> str:
        state = f"ack={self.ack_type}, followups={len(self.followups)}, errors={self.errors}"
        return f"{thing} to interaction {self.id} ({state})"
