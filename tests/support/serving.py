"""Real `codestreak` serving processes in the background, as an orchestrator starts them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.cli_runner import CODESTREAK
from tests.support.mailbox import free_port

READY_TIMEOUT_S = 150.0


@asynccontextmanager
async def background(
    args: Sequence[str], cwd: Path, env: Mapping[str, str], log: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`codestreak ARGS` with `env` over this environment, output to `log`; killed at the end
    if still running."""
    with log.open("w") as out:
        process = await asyncio.create_subprocess_exec(
            CODESTREAK, *args, cwd=cwd, env={**os.environ, **env}, stdout=out, stderr=out
        )
        try:
            yield process
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


@asynccontextmanager
async def site(
    command: str, cwd: Path, env: Mapping[str, str], log: Path
) -> AsyncIterator[tuple[str, asyncio.subprocess.Process]]:
    """`codestreak web` or `run` on a free loopback port; yields its URL and process."""
    port = free_port()
    async with background((command, "--port", str(port)), cwd, env, log) as process:
        yield f"http://127.0.0.1:{port}", process


async def wait_ready(
    url: str, process: asyncio.subprocess.Process, log: Path, timeout_s: float = READY_TIMEOUT_S
) -> dict[str, Any]:
    """The JSON of the first 200 from `url`'s /readyz; fails the test with the log if the process
    exits or is not ready in time."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    async with httpx.AsyncClient() as client:
        while asyncio.get_running_loop().time() < deadline:
            if process.returncode is not None:
                output = await asyncio.to_thread(log.read_text)
                pytest.fail(f"the process exited with {process.returncode}:\n{output}")
            try:
                answer = await client.get(f"{url}/readyz")
                if answer.status_code == 200:
                    return dict(answer.json())
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.3)
    pytest.fail(f"never ready:\n{await asyncio.to_thread(log.read_text)}")


@contextmanager
def web_process(port: int, cwd: Path, env: Mapping[str, str], log: Path) -> Iterator[str]:
    """`codestreak web` on loopback `port` with `env` over this environment, for tests whose
    thread has no event loop to spare (browser tests); yields its URL once `/healthz` answers,
    and stops it (SIGTERM) at the end."""
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        process = subprocess.Popen(
            [CODESTREAK, "web", "--port", str(port)],
            cwd=cwd,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + READY_TIMEOUT_S
            while not _answers(f"{url}/healthz"):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"codestreak web did not start:\n{log.read_text()}")
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url).status_code == 200
    except httpx.TransportError:
        return False
