"""A real Redis for tests: each test gets a database number of its own, emptied before and after.

Redis has 16 numbered databases; test runs running side by side (several pytest processes)
lease one each through a key in database 0, so no two tests share keys even when a library's
keys (arq's job ids, limits' counters) are not prefixed by anything the test chooses.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://:codestreak@127.0.0.1:6379")
#: the numbered databases tests may use (0 holds the leases)
TEST_DATABASES = range(1, 16)
LEASE_KEY = "codestreak-test:db-lease:{number}"
LEASE_S = 900
WAIT_FOR_DATABASE_S = 60.0


def database_url(number: int, base: str = TEST_REDIS_URL) -> str:
    """The URL of numbered database `number` on the test server."""
    return f"{base.rstrip('/')}/{number}"


def _connect(url: str) -> Redis:
    client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except RedisError as error:
        client.close()
        pytest.fail(
            f"the test Redis at {url} does not answer ({error}); start it with "
            "scripts/ensure-redis.sh or set TEST_REDIS_URL",
            pytrace=False,
        )
    return client


def _lease(control: Redis, owner: str) -> int:
    deadline = time.monotonic() + WAIT_FOR_DATABASE_S
    while True:
        for number in TEST_DATABASES:
            if control.set(LEASE_KEY.format(number=number), owner, nx=True, ex=LEASE_S):
                return number
        if time.monotonic() > deadline:
            pytest.fail("every test Redis database stayed leased for a minute", pytrace=False)
        time.sleep(0.1)


@contextmanager
def isolated_database(base: str = TEST_REDIS_URL) -> Iterator[str]:
    """Lease an empty numbered database on the test Redis; yield its URL; empty and free it."""
    control = _connect(base)
    owner = f"{os.getpid()}-{uuid.uuid4().hex}"
    try:
        number = _lease(control, owner)
        url = database_url(number, base)
        data = Redis.from_url(url)
        try:
            data.flushdb()
            yield url
        finally:
            data.flushdb()
            data.close()
            control.delete(LEASE_KEY.format(number=number))
    finally:
        control.close()


def unique_name(prefix: str = "codestreak-test") -> str:
    """A queue name (or key prefix) no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def own_server(folder: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A Redis server of the test's own (no password, nothing saved), which the test may stop:
    its URL and process; killed afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with Redis.from_url(url) as redis:
                    redis.ping()
                break
            except RedisError:
                assert time.monotonic() < deadline, "the test's own Redis did not start"
                time.sleep(0.05)
        yield url, server
    finally:
        server.kill()
        server.wait()
