"""Readiness: which parts fail it at once, and which only after a grace period."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from core.health import GRACE_S, HealthProbe, Status


@dataclass
class FakePool:
    ready_count: int = 1
    engine_up: bool = True

    async def engine_reachable(self, timeout_s: float) -> bool:
        return self.engine_up


@dataclass
class FakeBroker:
    up: bool = True

    async def reachable(self, timeout_s: float) -> bool:
        return self.up


class Monotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_an_empty_pool_and_a_dropped_gateway_degrade_only_within_the_grace_period(
    engine: AsyncEngine,
) -> None:
    pool, connected, clock = FakePool(), [True], Monotonic()
    probe = HealthProbe(engine, pool, lambda: connected[0], clock=clock)
    assert (await probe.readiness()).status is Status.READY

    pool.ready_count, connected[0] = 0, False
    clock.now += GRACE_S
    degraded = await probe.readiness()
    assert degraded.status is Status.DEGRADED
    assert degraded.serving
    assert degraded.checks == {
        "database": True,
        "docker": True,
        "sandbox_pool": False,
        "discord": False,
    }

    connected[0] = True  # the gateway came back; the pool stays empty past the grace period
    clock.now += 1
    still = await probe.readiness()
    assert still.status is Status.NOT_READY
    assert not still.serving
    pool.ready_count = 1
    assert (await probe.readiness()).status is Status.READY


async def test_a_part_never_seen_up_fails_readiness_at_once(engine: AsyncEngine) -> None:
    probe = HealthProbe(engine, FakePool(ready_count=0), clock=Monotonic())
    assert (await probe.readiness()).status is Status.NOT_READY


async def test_redis_and_the_docker_engine_fail_readiness_at_once(engine: AsyncEngine) -> None:
    broker, pool = FakeBroker(), FakePool()
    probe = HealthProbe(engine, pool, broker=broker, clock=Monotonic())
    ready = await probe.readiness()
    assert ready.checks == {"database": True, "redis": True, "docker": True, "sandbox_pool": True}
    broker.up = False
    assert (await probe.readiness()).status is Status.NOT_READY
    broker.up, pool.engine_up = True, False
    assert (await probe.readiness()).status is Status.NOT_READY
