"""One single-use sandbox container: isolated, pre-started, its loader waiting on stdin."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiodocker
import aiohttp
from aiodocker.containers import DockerContainer
from aiodocker.stream import Stream

from sandbox.config import MIB, SandboxConfig
from sandbox.loader import EXIT_INTERNAL_ERROR
from sandbox.protocol import (
    INLINE_WORK_BYTES,
    ForgedResponse,
    OutputFlood,
    ProtocolError,
    ResponseReader,
    split_banner,
)
from sandbox.result import Verdict

logger = logging.getLogger(__name__)

LABEL = "codestreak.sandbox"
POOL_LABEL = "codestreak.sandbox.pool"
INSTANCE_LABEL = "codestreak.sandbox.instance"
LOADER_COMMAND = ["python3", "-I", "/opt/codestreak/loader.py"]
DIAGNOSTIC_LIMIT = 16 * 1024
STDOUT = 1
#: bytes read from the container between two chances for the event loop's other tasks
YIELD_EVERY_BYTES = 256 * 1024
CPU_PERIOD_US = 100_000


def container_config(config: SandboxConfig, labels: Mapping[str, str]) -> dict[str, Any]:
    """The engine's create request for a sandbox container with every isolation setting."""
    memory = config.memory_mb * MIB
    return {
        "Image": config.image,
        "Cmd": LOADER_COMMAND,
        "User": config.user,
        "Env": [],
        "Hostname": "sandbox",
        "WorkingDir": "/tmp",
        "Labels": dict(labels),
        "AttachStdin": True,
        "AttachStdout": True,
        "AttachStderr": True,
        "OpenStdin": True,
        "StdinOnce": False,
        "Tty": False,
        "NetworkDisabled": True,
        "HostConfig": {
            "NetworkMode": "none",
            "Memory": memory,
            "MemorySwap": memory,
            "PidsLimit": config.pids_limit,
            # 0.5 CPU over the default 100 ms period: a short submission runs at full speed
            # within its first 50 ms of CPU time; only longer programs are throttled.
            "CpuPeriod": CPU_PERIOD_US,
            "CpuQuota": int(config.cpus * CPU_PERIOD_US),
            "ReadonlyRootfs": True,
            "CapDrop": ["ALL"],
            "SecurityOpt": ["no-new-privileges"],
            "Privileged": False,
            "Init": True,
            "Tmpfs": {"/tmp": f"rw,nosuid,nodev,noexec,size={config.tmp_size_mb}m,mode=1777"},
            "ShmSize": config.shm_size_kb * 1024,
            "Ulimits": [
                {"Name": "fsize", "Soft": config.fsize_mb * MIB, "Hard": config.fsize_mb * MIB},
                {"Name": "nofile", "Soft": config.nofile, "Hard": config.nofile},
                {"Name": "core", "Soft": 0, "Hard": 0},
            ],
            "LogConfig": {"Type": "none", "Config": {}},
            "IpcMode": "private",
            "AutoRemove": False,
        },
    }


@dataclass(frozen=True, slots=True)
class Exchange:
    """What came back from one request: the loader's response, or a verdict and why not."""

    payload: dict[str, Any] | None
    failure: Verdict | None = None
    message: str | None = None


def _broken(failure: Verdict, message: str) -> Exchange:
    """An Exchange without response."""
    return Exchange(None, failure, message)


class SandboxContainer:
    """A started container whose loader has announced itself and waits for one request."""

    def __init__(self, container: DockerContainer, stream: Stream) -> None:
        self.container = container
        self._stream = stream
        self._stdout = bytearray()  # until the banner is complete; then what followed it
        self._stderr = bytearray()
        self._key = b""

    @property
    def id(self) -> str:
        """The engine's id of this container."""
        return str(self.container.id)

    @classmethod
    async def start(
        cls,
        docker: aiodocker.Docker,
        config: SandboxConfig,
        labels: Mapping[str, str],
        ready_timeout_s: float = 30.0,
    ) -> SandboxContainer:
        """Create, attach and start a container, then wait until its loader is ready."""
        container = await docker.containers.create(container_config(config, labels))
        sandbox = cls(container, container.attach(stdin=True, stdout=True, stderr=True))
        try:
            await sandbox._stream.__aenter__()  # attach before start: no output gets lost
            await container.start()
            async with asyncio.timeout(ready_timeout_s):
                await sandbox._wait_ready()
        except BaseException:
            await sandbox.discard()
            raise
        return sandbox

    async def _wait_ready(self) -> None:
        """Read the loader's banner and its key; keep anything after it."""
        while True:
            message = await self._stream.read_out()
            if message is None:
                raise ProtocolError(
                    "the loader exited before it was ready: "
                    + bytes(self._stderr).decode("utf-8", "replace")
                )
            if message.stream != STDOUT:
                self._keep_stderr(message.data)
                continue
            self._stdout += message.data
            banner = split_banner(bytes(self._stdout))
            if banner is not None:
                self._key, rest = banner
                self._stdout = bytearray(rest)
                return

    def _keep_stderr(self, data: bytes) -> None:
        """Keep the first bytes of the container's stderr for diagnostics."""
        room = DIAGNOSTIC_LIMIT - len(self._stderr)
        if room > 0:
            self._stderr += data[:room]

    async def exchange(
        self, request: bytes, nonce: str, deadline_s: float, response_limit: int
    ) -> Exchange:
        """Send one request and wait for the signed response, the container's end or the deadline.

        Whatever a program pushes into the stream costs the host time linear in its size and
        bounded memory; the event loop gets its turn at least every `YIELD_EVERY_BYTES`, and
        the signature check and decoding of a large response run in a worker thread.
        """
        reader = ResponseReader(nonce, response_limit)
        try:
            async with asyncio.timeout(deadline_s):
                await self._send(request)
                found = reader.feed(bytes(self._stdout))
                self._stdout.clear()
                since_yield = 0
                while not found and (message := await self._stream.read_out()) is not None:
                    if message.stream != STDOUT:
                        self._keep_stderr(message.data)
                        continue
                    found = reader.feed(message.data)
                    since_yield += len(message.data)
                    if since_yield >= YIELD_EVERY_BYTES:
                        since_yield = 0
                        await asyncio.sleep(0)
                if found:
                    if reader.body_size <= INLINE_WORK_BYTES:
                        return Exchange(reader.decode(self._key))
                    return Exchange(await asyncio.to_thread(reader.decode, self._key))
                status = await self.container.wait(timeout=max(deadline_s, 5.0))
        except TimeoutError:
            return _broken(
                Verdict.TIME_LIMIT, f"the submission did not finish within {deadline_s:g} s"
            )
        except OutputFlood as error:
            return _broken(Verdict.OUTPUT_LIMIT, str(error))
        except ForgedResponse as error:
            logger.info("sandbox %s: forged response (%s)", self.id[:12], error)
            return _broken(Verdict.RUNTIME_ERROR, "the program forged the sandbox's response")
        except ProtocolError as error:
            return _broken(Verdict.SANDBOX_ERROR, f"the loader's response is unreadable: {error}")
        except (aiodocker.DockerError, aiohttp.ClientError, OSError) as error:
            return _broken(Verdict.SANDBOX_ERROR, f"the engine connection failed: {error!r}")
        return await self._without_response(int(status.get("StatusCode", -1)))

    async def _send(self, request: bytes) -> None:
        """Write `request` to the loader's stdin; ConnectionResetError when the engine closed the
        attach connection (aiodocker fails an assertion or raises RuntimeError then)."""
        try:
            await self._stream.write_in(request)
        except (AssertionError, RuntimeError) as error:
            raise ConnectionResetError("the engine closed the attach connection") from error

    async def _without_response(self, exit_code: int) -> Exchange:
        """Explain why the container ended without a valid response."""
        diagnostics = bytes(self._stderr).decode("utf-8", "replace")
        if exit_code == 0:
            return _broken(Verdict.SANDBOX_ERROR, "the loader ended without a valid response")
        if exit_code == EXIT_INTERNAL_ERROR:
            # the container's stderr is open to the program too: logged, never shown
            logger.error("sandbox loader failed: %s", diagnostics[-2000:])
            return _broken(Verdict.SANDBOX_ERROR, "the sandbox's supervisor failed")
        try:
            state = (await self.container.show()).get("State", {})
        except (aiodocker.DockerError, aiohttp.ClientError, OSError) as error:
            return _broken(Verdict.SANDBOX_ERROR, f"cannot inspect the container: {error!r}")
        if state.get("OOMKilled"):
            return _broken(Verdict.MEMORY_LIMIT, "the submission used all the sandbox's memory")
        logger.info("sandbox loader ended with status %s: %s", exit_code, diagnostics[-500:])
        return _broken(
            Verdict.RUNTIME_ERROR,
            f"the program stopped the sandbox's supervisor (container exit status {exit_code})",
        )

    async def discard(self) -> None:
        """Close the attach stream first (a kill can hang otherwise), then remove the container."""
        started = time.monotonic()
        with contextlib.suppress(Exception):
            await self._stream.close()
        try:
            await self.container.delete(force=True)
        except aiodocker.DockerError as error:
            if error.status != 404:
                logger.warning("could not remove sandbox container %s: %s", self.id[:12], error)
        except (aiohttp.ClientError, OSError) as error:
            logger.warning("could not remove sandbox container %s: %s", self.id[:12], error)
        logger.debug("removed %s in %.1f ms", self.id[:12], (time.monotonic() - started) * 1000)
