"""Health endpoints: up, and ready only when every part the process runs is ready."""

from __future__ import annotations

import httpx
import pytest

from api.app import create_app
from core.health import Reachable
from core.settings import Settings
from sandbox import SandboxPool
from tests.support.sandbox import make_config


async def test_healthz_and_readyz_with_the_database_only(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": True}}


async def _readyz(
    settings: Settings,
    pool: SandboxPool | None,
    bot_ready: bool | None,
    broker: Reachable | None = None,
) -> httpx.Response:
    app = create_app(
        settings,
        pool=pool,
        broker=broker,
        bot_connected=None if bot_ready is None else lambda: bot_ready,
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as visitor:
            return await visitor.get("/readyz")


async def test_readyz_reports_each_part_that_is_down() -> None:
    unreachable = Settings(
        database_url="mysql+aiomysql://nobody:wrong@127.0.0.1:1/none", secret_key="s" * 40
    )
    answer = await _readyz(unreachable, SandboxPool(), bot_ready=False)
    assert answer.status_code == 503
    assert answer.json() == {
        "status": "not ready",
        "checks": {"database": False, "docker": False, "sandbox_pool": False, "discord": False},
    }


@pytest.mark.docker
async def test_readyz_with_a_running_pool(sandbox_image: str, database_url: str) -> None:
    pool = SandboxPool(make_config(sandbox_image, pool_size=1, max_concurrent=1))
    await pool.start()
    try:
        await pool.wait_ready()
        settings = Settings(database_url=database_url, secret_key="s" * 40)
        answer = await _readyz(settings, pool, bot_ready=True)
    finally:
        await pool.close()
    assert answer.status_code == 200
    assert answer.json()["checks"] == {
        "database": True,
        "docker": True,
        "sandbox_pool": True,
        "discord": True,
    }


class Redis:
    def __init__(self, up: bool) -> None:
        self.up = up

    async def reachable(self, timeout_s: float) -> bool:
        return self.up


@pytest.mark.parametrize("redis_up", [True, False])
async def test_readyz_of_a_website_replica_checks_the_database_and_redis_only(
    database_url: str, redis_up: bool
) -> None:
    settings = Settings(database_url=database_url, secret_key="s" * 40)
    answer = await _readyz(settings, pool=None, bot_ready=None, broker=Redis(redis_up))
    assert answer.status_code == (200 if redis_up else 503)
    assert answer.json()["checks"] == {"database": True, "redis": redis_up}
