"""A TCP forwarder to the local Docker engine that a test may cut, as if the engine went away.

Processes given `url` (as SANDBOX_DOCKER_URL) reach the engine through it; `cut()` stops
listening and closes every open connection, so from then on the engine looks unreachable to
them while it keeps serving everyone else.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

#: bytes forwarded per read
CHUNK = 64 * 1024
STOP_TIMEOUT_S = 10.0


def engine_socket() -> str:
    """The local engine's socket path: DOCKER_HOST's when it is a unix one, else the default."""
    host = os.environ.get("DOCKER_HOST", "")
    return host.removeprefix("unix://") if host.startswith("unix://") else "/var/run/docker.sock"


class DockerProxy:
    """Forwards TCP connections on 127.0.0.1 to the engine's unix socket, in a thread of its own."""

    def __init__(self, socket_path: str) -> None:
        self.socket_path = socket_path
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        """The engine's URL through this proxy, for SANDBOX_DOCKER_URL."""
        return f"tcp://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Listen on a free port (its number in `port`)."""
        self._thread.start()
        self._call(self._listen())

    def cut(self) -> None:
        """Stop listening and drop every open connection: the engine is gone for its clients."""
        self._call(self._cut())

    def close(self) -> None:
        """Cut, then stop the proxy's thread."""
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(STOP_TIMEOUT_S)
        self._loop.close()

    def _call(self, coroutine: object) -> None:
        assert asyncio.iscoroutine(coroutine)
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(STOP_TIMEOUT_S)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._forward, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            engine_reader, engine_writer = await asyncio.open_unix_connection(self.socket_path)
        except OSError:
            writer.transport.abort()
            return
        pair = {writer, engine_writer}
        self._writers |= pair
        try:
            await asyncio.gather(
                self._pump(reader, engine_writer), self._pump(engine_reader, writer)
            )
        finally:
            self._writers -= pair
            for end in pair:
                end.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with suppress(OSError):
            while data := await reader.read(CHUNK):
                writer.write(data)
                await writer.drain()
        if writer.can_write_eof() and not writer.is_closing():
            with suppress(OSError):
                writer.write_eof()


@contextmanager
def docker_proxy() -> Iterator[DockerProxy]:
    """A running proxy to the local engine, closed afterwards."""
    proxy = DockerProxy(engine_socket())
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.close()
