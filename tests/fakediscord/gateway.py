"""The Discord Gateway (v10, JSON encoding, optional ``zlib-stream`` transport compression).

Supports HELLO, heartbeats, IDENTIFY (READY, then one GUILD_CREATE per guild), RESUME (missed
events are replayed, then RESUMED), REQUEST_GUILD_MEMBERS, and dispatch events with sequence
numbers. Presence and voice updates from the bot are accepted and ignored.

Sharding as Discord does it: IDENTIFY may carry ``shard: [shard_id, num_shards]`` (else the
session is shard 0 of 1, which holds everything). A session holds the guilds whose
``(guild_id >> 22) % num_shards`` is its ``shard_id``: only those are in its READY and its
GUILD_CREATEs, and a guild's events (messages, interactions, channel and member changes) go only
to sessions of its shard; direct messages and other events of no guild go to shard 0. Several
sessions may identify as the same shard, and each receives its events.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import WSMsgType, web

from .gateway_events import KNOWN_INTENT_BITS, PRIVILEGED_INTENTS, Intent
from .models import FakeMessage, Json
from .snowflakes import shard_of

if TYPE_CHECKING:
    from .world import FakeWorld

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE, RESUME = 0, 1, 2, 3, 4, 6
REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11
HISTORY_LIMIT = 2000


class GatewayConnection:
    """One WebSocket: serialises frames in order, compressing them with a shared zlib stream."""

    def __init__(self, ws: web.WebSocketResponse, *, zlib_stream: bool) -> None:
        self.ws = ws
        self._compressor = zlib.compressobj() if zlib_stream else None
        self._outbox: asyncio.Queue[Json | None] = asyncio.Queue()
        self._writer = asyncio.create_task(self._write_frames())
        self.session: GatewaySession | None = None

    def send(self, frame: Json) -> None:
        """Queue ``frame`` for sending (frames leave in the order they were queued)."""
        self._outbox.put_nowait(frame)

    async def close(self, code: int, reason: str = "") -> None:
        """Flush the queued frames, then close the socket with ``code``."""
        self._outbox.put_nowait(None)
        with contextlib.suppress(Exception):
            await self._writer
        await self.ws.close(code=code, message=reason.encode())

    async def _write_frames(self) -> None:
        while (frame := await self._outbox.get()) is not None:
            text = json.dumps(frame)
            try:
                if self._compressor is None:
                    await self.ws.send_str(text)
                else:
                    data = self._compressor.compress(text.encode())
                    data += self._compressor.flush(zlib.Z_SYNC_FLUSH)
                    await self.ws.send_bytes(data)
            except ConnectionError:
                return


@dataclass
class GatewaySession:
    """A gateway session: survives disconnects so the bot can RESUME it."""

    id: str
    intents: int
    shard: list[int] | None
    sequence: int = 0
    history: list[Json] = field(default_factory=list)
    connection: GatewayConnection | None = None
    ready: bool = False

    def holds(self, guild_id: int | None) -> bool:
        """Whether this session's shard receives the events of ``guild_id`` (None: no guild,
        which shard 0 receives)."""
        if self.shard is None:
            return True
        shard_id, count = self.shard
        return shard_id == (0 if guild_id is None else shard_of(guild_id, count))

    def send_dispatch(self, event: str, data: Json) -> None:
        """Number, remember and (if connected) send a dispatch event."""
        self.sequence += 1
        frame = {"op": DISPATCH, "t": event, "s": self.sequence, "d": data}
        self.history = [*self.history[-HISTORY_LIMIT:], frame]
        if self.connection is not None:
            self.connection.send(frame)


class GatewayHub:
    """All gateway sessions; the world's :class:`EventSink`."""

    def __init__(
        self,
        report: Callable[[str], None],
        on_change: Callable[[], None],
        heartbeat_interval_ms: int,
    ) -> None:
        self.world: FakeWorld | None = None
        self.report = report
        self.on_change = on_change
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: dict[str, GatewaySession] = {}
        self.connections: set[GatewayConnection] = set()
        self.identify_count = 0
        self.resume_count = 0
        self.public_ws_url = ""

    @property
    def connected(self) -> bool:
        """Whether a bot is connected and has received READY and its guilds."""
        return any(s.ready and s.connection is not None for s in self.sessions.values())

    def dispatch(self, event: str, data: Json, intent: Intent, *, guild_id: int | None) -> int:
        """Send ``event`` to every live session holding ``guild_id`` whose intents include
        ``intent``; how many it went to."""
        sent = 0
        for session in self._live_sessions(guild_id):
            if intent == Intent.NONE or session.intents & intent:
                session.send_dispatch(event, data)
                sent += 1
        return sent

    def dispatch_message(self, event: str, message: FakeMessage, member: Json | None) -> None:
        """Send a message event, blanking content the bot's intents do not entitle it to."""
        intent = Intent.GUILD_MESSAGES if message.guild_id else Intent.DIRECT_MESSAGES
        data = message.payload()
        if member is not None:
            data["member"] = member
        for session in self._live_sessions(message.guild_id):
            if not session.intents & intent:
                continue
            sees_content = (
                session.intents & Intent.MESSAGE_CONTENT
                or not message.guild_id
                or self._world().bot_user.id == message.author.id
            )
            if sees_content:
                session.send_dispatch(event, data)
            else:
                hidden = {"content": "", "embeds": [], "attachments": [], "components": []}
                session.send_dispatch(event, {**data, **hidden})

    async def disconnect_all(self, code: int = 4000) -> None:
        """Drop every connection (sessions stay resumable); the bot should reconnect."""
        for connection in list(self.connections):
            await connection.close(code)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The WebSocket endpoint ``/gateway``."""
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        problem = self._query_problem(request)
        connection = GatewayConnection(
            ws, zlib_stream=request.query.get("compress") == "zlib-stream"
        )
        self.connections.add(connection)
        try:
            if problem:
                self.report(f"gateway: {problem}")
                await connection.close(4002, problem)
                return ws
            connection.send({"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    self.report(f"gateway: unexpected {message.type.name} frame from the bot")
                    await connection.close(4002, "Decode error")
                    break
                await self._receive(connection, json.loads(message.data))
        finally:
            self.connections.discard(connection)
            if connection.session is not None and connection.session.connection is connection:
                connection.session.connection = None
            await connection.close(1000)
            self.on_change()
        return ws

    def _query_problem(self, request: web.Request) -> str | None:
        query = request.query
        if query.get("v") != "10":
            return f"the bot asked for gateway version {query.get('v')!r}, expected '10'"
        if query.get("encoding", "json") != "json":
            return f"encoding {query.get('encoding')!r} is not supported, use json"
        if query.get("compress") not in (None, "zlib-stream"):
            return f"compression {query.get('compress')!r} is not supported by the fake"
        return None

    async def _receive(self, connection: GatewayConnection, frame: Json) -> None:
        op = frame.get("op")
        data = frame.get("d")
        if op == HEARTBEAT:
            connection.send({"op": HEARTBEAT_ACK, "d": None})
        elif op == IDENTIFY:
            await self._identify(connection, data or {})
        elif op == RESUME:
            await self._resume(connection, data or {})
        elif connection.session is None:
            self.report(f"gateway: op {op} sent before IDENTIFY")
            await connection.close(4003, "Not authenticated.")
        elif op == REQUEST_MEMBERS:
            self._send_member_chunk(connection.session, data or {})
        elif op not in (PRESENCE, VOICE):
            self.report(f"gateway: unknown opcode {op}")
            await connection.close(4001, "Unknown opcode.")

    async def _identify(self, connection: GatewayConnection, data: Json) -> None:
        world = self._world()
        intents = data.get("intents")
        if connection.session is not None:
            self.report("gateway: IDENTIFY sent twice on one connection")
            await connection.close(4005, "Already authenticated.")
            return
        if data.get("token") != world.token:
            self.report("gateway: IDENTIFY with a wrong token")
            await connection.close(4004, "Authentication failed.")
            return
        if not isinstance(intents, int) or intents & ~KNOWN_INTENT_BITS:
            self.report(f"gateway: invalid intents {intents!r}")
            await connection.close(4013, "Invalid intent(s).")
            return
        if intents & PRIVILEGED_INTENTS & ~world.privileged_intents:
            self.report("gateway: the bot asked for privileged intents the application lacks")
            await connection.close(4014, "Disallowed intent(s).")
            return
        shard = data.get("shard")
        if shard is not None and not _valid_shard(shard):
            self.report(f"gateway: invalid shard {shard!r}, expected [shard_id, num_shards]")
            await connection.close(4010, "Invalid shard.")
            return
        session = GatewaySession(uuid.uuid4().hex, intents, shard)
        self.sessions[session.id] = session
        session.connection = connection
        connection.session = session
        self.identify_count += 1
        session.send_dispatch("READY", self._ready_payload(session))
        for guild in world.guilds.values():
            if not session.holds(guild.id):
                continue
            everyone = bool(intents & Intent.GUILD_MEMBERS)
            session.send_dispatch(
                "GUILD_CREATE", world.guild_create_payload(guild, everyone=everyone)
            )
        session.ready = True
        self.on_change()

    def _ready_payload(self, session: GatewaySession) -> Json:
        world = self._world()
        user = {**world.bot_user.payload(), "verified": True, "mfa_enabled": False}
        payload: Json = {
            "v": 10,
            "user": user,
            "guilds": [
                {"id": str(g), "unavailable": True} for g in world.guilds if session.holds(g)
            ],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.public_ws_url,
            "application": {"id": str(world.application.id), "flags": world.application.flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "auth": {},
            "_trace": ["fakediscord"],
        }
        if session.shard is not None:
            payload["shard"] = session.shard
        return payload

    async def _resume(self, connection: GatewayConnection, data: Json) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self._world().token:
            connection.send({"op": INVALID_SESSION, "d": False})
            return
        if session.connection is not None and session.connection is not connection:
            await session.connection.close(4000, "Session resumed elsewhere.")
        session.connection = connection
        connection.session = session
        self.resume_count += 1
        seen = int(data.get("seq") or 0)
        for frame in session.history:
            if frame["s"] > seen:
                connection.send(frame)
        session.send_dispatch("RESUMED", {"_trace": ["fakediscord"]})
        self.on_change()

    def _send_member_chunk(self, session: GatewaySession, data: Json) -> None:
        guild = self._world().guilds.get(int(data.get("guild_id") or 0))
        if guild is None:
            self.report(f"gateway: REQUEST_GUILD_MEMBERS for unknown guild {data.get('guild_id')}")
            return
        if not session.holds(guild.id):
            self.report(
                f"gateway: REQUEST_GUILD_MEMBERS for guild {guild.id} on shard {session.shard}, "
                "which does not hold it"
            )
            return
        wanted = {int(user_id) for user_id in data.get("user_ids") or []}
        query = str(data.get("query") or "").lower()
        members = [
            m
            for m in guild.members.values()
            if (not wanted or m.user.id in wanted) and m.user.username.lower().startswith(query)
        ]
        limit = int(data.get("limit") or 0)
        chunk: Json = {
            "guild_id": str(guild.id),
            "members": [m.payload() for m in (members[:limit] if limit else members)],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(u) for u in wanted - set(guild.members)],
        }
        if "nonce" in data:
            chunk["nonce"] = data["nonce"]
        session.send_dispatch("GUILD_MEMBERS_CHUNK", chunk)

    def _live_sessions(self, guild_id: int | None) -> list[GatewaySession]:
        return [s for s in self.sessions.values() if s.ready and s.holds(guild_id)]

    def _world(self) -> FakeWorld:
        if self.world is None:
            raise RuntimeError("the gateway is not attached to a world")
        return self.world


def _valid_shard(shard: object) -> bool:
    """Whether IDENTIFY's ``shard`` is ``[shard_id, num_shards]`` with ``0 <= shard_id <
    num_shards``."""
    if not isinstance(shard, list) or len(shard) != 2:
        return False
    shard_id, count = shard
    return (
        isinstance(shard_id, int)
        and isinstance(count, int)
        and not isinstance(shard_id, bool)
        and 0 <= shard_id < count
    )
