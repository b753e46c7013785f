"""FakeDiscord: the running fake server and the API tests drive it with."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from aiohttp import web

from .gateway import GatewayHub
from .gateway_events import PRIVILEGED_INTENTS, Intent
from .http_app import API_PREFIX, build_app
from .interaction_payloads import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    chat_input_data,
    component_data,
    envelope,
    message_command_data,
    modal_submit_data,
    user_command_data,
)
from .interaction_record import DEFAULT_TIMEOUT_S, InteractionRecord
from .models import FakeChannel, FakeGuild, FakeMember, FakeMessage, FakeUser, Json
from .oauth import FakeOAuth
from .waiting import ChangeSignal
from .world import FakeWorld

T = TypeVar("T")

CHAT_INPUT_COMMAND_MESSAGE = 20
CONTEXT_MENU_COMMAND_MESSAGE = 23
DEFAULT_MESSAGE = 0


class FakeDiscord(FakeWorld):
    """A Discord API + Gateway server on 127.0.0.1 that a real discord.py bot connects to.

    Build the world (guilds, roles, channels, members) before or after starting; send
    interactions with :meth:`send_slash` and friends; inspect what the bot did through the
    returned :class:`InteractionRecord`, :meth:`messages_in`, :meth:`role_names_of`, and the rule
    logs ``violations`` (must stay empty), ``permission_denials`` and ``errors``.
    """

    def __init__(
        self,
        *,
        ack_deadline_s: float = 3.0,
        token_lifetime_s: float = 15 * 60.0,
        heartbeat_interval_ms: int = 41_250,
        privileged_intents: int = PRIVILEGED_INTENTS,
        shards: int = 1,
    ) -> None:
        self.signal = ChangeSignal()
        self.violations: list[str] = []
        self.permission_denials: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.command_syncs: list[int | None] = []
        self.interactions: dict[int, InteractionRecord] = {}
        self.interactions_by_token: dict[str, InteractionRecord] = {}
        self.ack_deadline_s = ack_deadline_s
        self.token_lifetime_s = token_lifetime_s
        #: the shard count ``GET /gateway/bot`` recommends
        self.shards = shards
        self.gateway = GatewayHub(self.report_violation, self.signal.changed, heartbeat_interval_ms)
        super().__init__(self.gateway, privileged_intents=privileged_intents)
        self.gateway.world = self
        #: "Sign in with Discord": the consent page, codes and access tokens
        self.oauth = FakeOAuth(self.application.id, self.users)
        self.port = 0
        self._runner: web.AppRunner | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """The REST base URL, for ``DISCORD_API_BASE`` / ``discord.http.Route.BASE``."""
        return f"{self.base_url}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """The gateway URL, for ``DISCORD_GATEWAY_URL`` / ``DiscordWebSocket.DEFAULT_GATEWAY``."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        self._runner = web.AppRunner(
            build_app(self, self.gateway.handle), handle_signals=False, access_log=None
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = int(self._runner.addresses[0][1])
        self.public_base_url = self.base_url
        self.gateway.public_ws_url = self.gateway_url

    async def stop(self) -> None:
        """Close gateway connections and stop listening."""
        await self.gateway.disconnect_all(1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def disconnect_bot(self) -> None:
        """Drop the bot's gateway connection; discord.py reconnects and RESUMEs."""
        await self.gateway.disconnect_all(4000)

    # -- rule logs ----------------------------------------------------------------------------

    def report_violation(self, text: str) -> None:
        """Record a broken Discord rule (tests assert ``violations`` stays empty)."""
        self.violations.append(text)
        self.signal.changed()

    def assert_no_violations(self) -> None:
        """Fail with every recorded violation listed."""
        assert not self.violations, "Discord rule violations:\n" + "\n".join(self.violations)

    # -- waiting for the bot ------------------------------------------------------------------

    async def wait_until(
        self,
        probe: Callable[[], T | None],
        timeout_s: float = DEFAULT_TIMEOUT_S,
        what: str = "a condition",
    ) -> T:
        """``probe()``'s first non-None result, re-checked whenever the fake's state changes."""
        return await self.signal.wait_for(probe, timeout_s, what)

    async def wait_until_bot_ready(self, timeout_s: float = 10.0) -> None:
        """Until the bot identified and received READY and every GUILD_CREATE."""
        await self.wait_until(
            lambda: True if self.gateway.connected else None,
            timeout_s,
            "the bot to connect to the gateway",
        )

    async def wait_for_command_sync(
        self, guild: FakeGuild | None = None, timeout_s: float = 10.0
    ) -> list[Json]:
        """Until the bot synced its commands globally (or for ``guild``); returns them."""
        scope = guild.id if guild else None
        await self.wait_until(
            lambda: True if scope in self.command_syncs else None,
            timeout_s,
            f"a command sync for {'global' if scope is None else scope}",
        )
        return self.registered_commands(guild)

    async def wait_for_bot_message(
        self, channel: FakeChannel, *, count: int = 1, timeout_s: float = DEFAULT_TIMEOUT_S
    ) -> FakeMessage:
        """The ``count``-th message the bot posted in ``channel``."""

        def probe() -> FakeMessage | None:
            posted = self.bot_messages_in(channel)
            return posted[count - 1] if len(posted) >= count else None

        return await self.wait_until(probe, timeout_s, f"bot message #{count} in #{channel.name}")

    # -- sending interactions -----------------------------------------------------------------

    async def send_slash(
        self,
        channel: FakeChannel,
        user: FakeUser | FakeMember,
        name: str,
        options: Mapping[str, Any] | None = None,
    ) -> InteractionRecord:
        """Invoke slash command ``name`` ("cmd", "cmd sub" or "cmd group sub") as ``user``.

        Option values: str/int/float/bool, FakeUser/FakeMember, FakeRole, FakeChannel, or a
        FakeAttachment from :meth:`make_attachment` (downloadable from the fake).
        """
        data = chat_input_data(self, self._guild_of(channel), name, options or {})
        return self._dispatch(
            APPLICATION_COMMAND, data, channel, user, response_type=CHAT_INPUT_COMMAND_MESSAGE
        )

    async def send_autocomplete(
        self,
        channel: FakeChannel,
        user: FakeUser | FakeMember,
        name: str,
        focused: str,
        options: Mapping[str, Any],
    ) -> InteractionRecord:
        """The user is typing option ``focused`` of ``name``; ``options`` holds the typed text."""
        data = chat_input_data(self, self._guild_of(channel), name, options, focused=focused)
        return self._dispatch(AUTOCOMPLETE, data, channel, user, response_type=DEFAULT_MESSAGE)

    async def send_message_context(
        self,
        channel: FakeChannel,
        user: FakeUser | FakeMember,
        command_name: str,
        target: FakeMessage,
    ) -> InteractionRecord:
        """Run message context-menu command ``command_name`` on ``target``."""
        data = message_command_data(self, self._guild_of(channel), command_name, target)
        return self._dispatch(
            APPLICATION_COMMAND, data, channel, user, response_type=CONTEXT_MENU_COMMAND_MESSAGE
        )

    async def send_user_context(
        self,
        channel: FakeChannel,
        user: FakeUser | FakeMember,
        command_name: str,
        target: FakeUser | FakeMember,
    ) -> InteractionRecord:
        """Run user context-menu command ``command_name`` on ``target``."""
        data = user_command_data(self, self._guild_of(channel), command_name, target)
        return self._dispatch(
            APPLICATION_COMMAND, data, channel, user, response_type=CONTEXT_MENU_COMMAND_MESSAGE
        )

    async def submit_modal(
        self,
        record: InteractionRecord,
        values: Mapping[str, Any],
        user: FakeUser | FakeMember | None = None,
    ) -> InteractionRecord:
        """Submit the modal the bot showed in ``record``; ``values`` keyed by custom_id or label."""
        if record.modal is None:
            raise LookupError(f"the bot showed no modal for interaction {record.id}")
        data = modal_submit_data(record.modal, values)
        return self._dispatch(
            MODAL_SUBMIT,
            data,
            record.channel,
            user or record.user,
            response_type=DEFAULT_MESSAGE,
            source=record.source_message,
        )

    async def click_button(
        self, message: FakeMessage, custom_id: str, user: FakeUser | FakeMember
    ) -> InteractionRecord:
        """Click the button ``custom_id`` on ``message``."""
        return self._component(message, custom_id, None, user)

    async def select(
        self, message: FakeMessage, custom_id: str, values: list[str], user: FakeUser | FakeMember
    ) -> InteractionRecord:
        """Choose ``values`` in the select menu ``custom_id`` on ``message``."""
        return self._component(message, custom_id, values, user)

    def _component(
        self,
        message: FakeMessage,
        custom_id: str,
        values: list[str] | None,
        user: FakeUser | FakeMember,
    ) -> InteractionRecord:
        channel = self.find_channel(message.channel_id)
        if channel is None:
            raise LookupError(f"message {message.id} is in no known channel")
        data = component_data(message, custom_id, values)
        return self._dispatch(
            MESSAGE_COMPONENT, data, channel, user, response_type=DEFAULT_MESSAGE, source=message
        )

    def _guild_of(self, channel: FakeChannel) -> FakeGuild | None:
        return self.guilds.get(channel.guild_id or 0)

    def _dispatch(
        self,
        kind: int,
        data: Json,
        channel: FakeChannel,
        user: FakeUser | FakeMember,
        *,
        response_type: int,
        source: FakeMessage | None = None,
    ) -> InteractionRecord:
        if not self.gateway.connected:
            raise RuntimeError("no bot is connected to the fake gateway")
        interaction_id = self.ids.next()
        token = f"interaction-{interaction_id}-{secrets.token_urlsafe(24)}"
        payload = envelope(
            self,
            interaction_id=interaction_id,
            token=token,
            kind=kind,
            data=data,
            channel=channel,
            user=user,
        )
        if source is not None:
            payload["message"] = source.payload()
        record = InteractionRecord(
            id=interaction_id,
            token=token,
            type=kind,
            payload=payload,
            user=user.user if isinstance(user, FakeMember) else user,
            channel=channel,
            guild=self._guild_of(channel),
            signal=self.signal,
            dispatched_at=asyncio.get_running_loop().time(),
            response_message_type=response_type,
            source_message=source,
        )
        guild_id = channel.guild_id
        if not self.gateway.dispatch("INTERACTION_CREATE", payload, Intent.NONE, guild_id=guild_id):
            raise RuntimeError(f"no bot session holds the shard of guild {guild_id}")
        self.interactions[interaction_id] = record
        self.interactions_by_token[token] = record
        return record
