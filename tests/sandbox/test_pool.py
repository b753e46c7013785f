"""Starting, stopping and back-pressure of the pool against the real engine."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os

import aiodocker
import pytest

from sandbox import (
    DockerUnavailable,
    RunLimits,
    SandboxBusy,
    SandboxConfig,
    SandboxPool,
    TestCase,
    Verdict,
)
from sandbox import pool as pool_module
from sandbox.container import INSTANCE_LABEL, LABEL, POOL_LABEL, container_config
from tests.support.docker_proxy import docker_proxy
from tests.support.sandbox import ADD_CASES, ADD_CODE, make_config

pytestmark = [pytest.mark.docker, pytest.mark.asyncio(loop_scope="function")]


async def _labelled(label: str) -> list[str]:
    async with aiodocker.Docker() as docker:
        found = await docker.containers.list(all=True, filters=json.dumps({"label": [label]}))
        return [c.id for c in found]


@pytest.mark.parametrize(
    "url", ["unix:///nonexistent/docker.sock", "tcp://127.0.0.1:9"], ids=["socket", "tcp"]
)
async def test_engine_down_is_a_clear_error(url: str) -> None:
    pool = SandboxPool(make_config("codestreak-sandbox:test", docker_url=url))
    with pytest.raises(DockerUnavailable, match="Start the Docker engine") as caught:
        await pool.start()
    assert url in str(caught.value)


async def test_stale_containers_are_removed_at_start(sandbox_image: str) -> None:
    config = make_config(sandbox_image, pool_name="stale-test", pool_size=1)
    labels = {LABEL: "1", POOL_LABEL: "stale-test", INSTANCE_LABEL: "crashed"}
    async with aiodocker.Docker() as docker:
        stale = await docker.containers.create(container_config(config, labels))
        await stale.start()
    async with SandboxPool(config):
        assert stale.id not in await _labelled(f"{POOL_LABEL}=stale-test")


def _quick(image: str, pool_name: str, stale_after_s: float) -> SandboxConfig:
    """A pool whose longest run is short enough for a stale age of a few seconds."""
    return make_config(
        image,
        pool_name=pool_name,
        pool_size=1,
        max_tests=1,
        max_time_s=0.5,
        host_slack_s=0.5,
        stale_after_s=stale_after_s,
    )


async def test_old_containers_of_any_pool_are_removed_at_start(
    sandbox_image: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Other processes share this engine: the pool marks and reaps under a key of this test's
    # own, so that only containers this test made can count as stale.
    key = f"codestreak.sandbox.reap-test-{os.getpid()}"
    monkeypatch.setattr(pool_module, "LABEL", key)
    config = _quick(sandbox_image, "reaper", stale_after_s=3.0)
    mark = {key: "1"}
    async with aiodocker.Docker() as docker:
        crashed = await docker.containers.create(
            container_config(config, {**mark, POOL_LABEL: "cli-4242", INSTANCE_LABEL: "gone"})
        )
        await asyncio.sleep(config.stale_age_s + 1.5)
        live = await docker.containers.create(
            container_config(config, {**mark, POOL_LABEL: "designer-7", INSTANCE_LABEL: "on"})
        )
        try:
            async with SandboxPool(config):
                left = await _labelled(f"{key}=1")
                assert crashed.id not in left
                assert live.id in left
        finally:
            await live.delete(force=True)
            with contextlib.suppress(aiodocker.DockerError):
                await crashed.delete(force=True)


async def test_idle_containers_are_replaced_before_they_could_count_as_stale(
    sandbox_image: str,
) -> None:
    config = _quick(sandbox_image, "recycle-test", stale_after_s=4.0)
    async with SandboxPool(config) as pool:
        await pool.wait_ready()
        first = await _labelled(f"{INSTANCE_LABEL}={pool.instance}")
        await asyncio.sleep(config.stale_age_s * 0.75)
        await pool.wait_ready()
        later = await _labelled(f"{INSTANCE_LABEL}={pool.instance}")
        assert later
        assert not set(first) & set(later)
        assert (await pool.grade(ADD_CODE, ADD_CASES[:1])).verdict is Verdict.ACCEPTED


async def test_close_leaves_no_container(sandbox_image: str) -> None:
    pool = SandboxPool(make_config(sandbox_image, pool_name="close-test", pool_size=2))
    await pool.start()
    await pool.wait_ready()
    assert (await pool.grade(ADD_CODE, ADD_CASES)).verdict is Verdict.ACCEPTED
    assert len(await _labelled(f"{INSTANCE_LABEL}={pool.instance}")) >= 2
    await pool.close()
    assert await _labelled(f"{INSTANCE_LABEL}={pool.instance}") == []


async def test_full_queue_is_busy(sandbox_image: str) -> None:
    config = make_config(
        sandbox_image, pool_name="busy-test", pool_size=1, max_concurrent=1, queue_size=1
    )
    slow = "import time\ntime.sleep(0.5)\nprint('ok')\n"
    cases = [TestCase(input="", expected="ok\n")]
    async with SandboxPool(config) as pool:
        await pool.wait_ready()
        running = asyncio.create_task(pool.grade(slow, cases, limits=RunLimits(time_s=2)))
        await asyncio.sleep(0.05)
        waiting = asyncio.create_task(pool.grade(slow, cases, limits=RunLimits(time_s=2)))
        await asyncio.sleep(0.05)
        with pytest.raises(SandboxBusy, match="busy"):
            await pool.grade(slow, cases)
        assert (await running).verdict is Verdict.ACCEPTED
        assert (await waiting).verdict is Verdict.ACCEPTED
        assert (await pool.grade(slow, cases)).verdict is Verdict.ACCEPTED


async def test_engine_lost_while_running(sandbox_image: str) -> None:
    """Grading once the engine's connections dropped: unavailable, not a verdict, both on a ready
    container whose connection died and on one that can no longer be started."""
    with docker_proxy() as proxy:
        config = make_config(
            sandbox_image, pool_name="lost-test", pool_size=1, docker_url=proxy.url
        )
        pool = SandboxPool(config)
        try:
            await pool.start()
            await pool.wait_ready()
            await asyncio.to_thread(proxy.cut)
            for _ in range(2):
                with pytest.raises(DockerUnavailable, match="cannot reach the Docker engine"):
                    await pool.grade(ADD_CODE, ADD_CASES)
        finally:
            await pool.close()
            async with aiodocker.Docker() as docker:
                for container in await docker.containers.list(
                    all=True, filters=json.dumps({"label": [f"{POOL_LABEL}=lost-test"]})
                ):
                    await container.delete(force=True)


async def test_engine_reachable_follows_the_pool_state(sandbox_image: str) -> None:
    pool = SandboxPool(make_config(sandbox_image, pool_size=1, max_concurrent=1))
    assert not await pool.engine_reachable()
    await pool.start()
    try:
        assert await pool.engine_reachable()
    finally:
        await pool.close()
    assert not await pool.engine_reachable()
