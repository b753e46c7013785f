"""Replicas as an orchestrator starts them: several `codestreak web` at once on a fresh MariaDB,
and replicas that wait for the one-shot `codestreak migrate`."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support import databases, serving
from tests.support.cli_runner import codestreak

pytestmark = pytest.mark.mariadb

DATA = Path(__file__).parents[2] / "data"
SECRET = "replica-tests-secret-key-long-enough-to-sign-0123456789"


@pytest.fixture
async def fresh_mariadb() -> AsyncIterator[str]:
    """An empty MariaDB database (no schema yet), dropped afterwards."""
    name = f"codestreak_replicas_{uuid.uuid4().hex[:10]}"
    url = await databases.create_mariadb_database(name, revision="base")
    try:
        yield url
    finally:
        await databases.drop_mariadb_database(name)


def _env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "CONTENT_DIR": str(DATA),
        "SECRET_KEY": SECRET,
        "DISCORD_TOKEN": "",
        **extra,
    }


async def test_two_web_replicas_started_at_once_on_a_fresh_mariadb_both_become_ready(
    fresh_mariadb: str, tmp_path: Path
) -> None:
    env = _env(fresh_mariadb)
    first, second = tmp_path / "web-1.log", tmp_path / "web-2.log"
    async with (
        serving.site("web", tmp_path, env, first) as (url_1, web_1),
        serving.site("web", tmp_path, env, second) as (url_2, web_2),
    ):
        answers = await asyncio.gather(
            serving.wait_ready(url_1, web_1, first), serving.wait_ready(url_2, web_2, second)
        )
        assert list(answers) == [{"status": "ready", "checks": {"database": True}}] * 2
    for log in (first, second):
        assert "Traceback" not in log.read_text()


async def test_queue_mode_replicas_wait_for_codestreak_migrate_and_need_no_docker(
    fresh_mariadb: str, redis_url: str, redis_queue_name: str, tmp_path: Path
) -> None:
    env = _env(
        fresh_mariadb,
        MIGRATE_ON_START="false",
        GRADING_MODE="queue",
        REDIS_URL=redis_url,
        QUEUE_NAME=redis_queue_name,
        SANDBOX_DOCKER_URL="tcp://127.0.0.1:1",  # no engine: a replica must not need one
    )
    log = tmp_path / "web.log"
    async with serving.site("web", tmp_path, env, log) as (url, process):
        for _ in range(300):
            if "waiting up to" in log.read_text() or process.returncode is not None:
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(1)
        assert process.returncode is None, log.read_text()
        with pytest.raises(httpx.TransportError):  # not serving before the schema is there
            await httpx.AsyncClient().get(f"{url}/healthz")

        migrated = await asyncio.to_thread(codestreak, "migrate", cwd=tmp_path, env=env)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        assert "is migrated and its content loaded" in migrated.stdout

        ready = await serving.wait_ready(url, process, log)
        assert ready == {"status": "ready", "checks": {"database": True, "redis": True}}
    assert "Traceback" not in log.read_text()
