"""Counts in this process (`memory://`) or shared by every process through a real Redis."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from limits import parse
from pydantic import ValidationError

from core.counters import Counters, CountersUnavailable, storage_scheme
from core.settings import Settings

RULE = parse("2/minute")
#: nothing listens on port 1: a Redis that is down
DOWN_REDIS = "redis://:codestreak@127.0.0.1:1/0"


async def test_a_rule_lets_its_amount_through_then_says_how_long_to_wait() -> None:
    counters = Counters("memory://")
    assert await counters.hit(RULE, "login", "a") == 0.0
    assert await counters.hit(RULE, "login", "a") == 0.0
    wait = await counters.hit(RULE, "login", "a")
    assert 59.0 < wait <= 60.0
    assert await counters.hit(RULE, "login", "b") == 0.0
    assert await counters.hit(RULE, "register", "a") == 0.0
    await counters.clear(RULE, "login", "a")
    assert await counters.hit(RULE, "login", "a") == 0.0


async def test_memory_counts_belong_to_one_instance() -> None:
    first, second = Counters("memory://"), Counters("memory://")
    for _ in range(RULE.amount):
        await first.hit(RULE, "login", "a")
    assert await first.hit(RULE, "login", "a") > 0
    assert await second.hit(RULE, "login", "a") == 0.0


@pytest.mark.parametrize("spelling", ["redis://", "async+redis://"])
async def test_redis_counts_are_shared_by_every_instance(redis_url: str, spelling: str) -> None:
    uri = redis_url.replace("redis://", spelling, 1)
    first, second = Counters(uri), Counters(uri)
    try:
        for _ in range(RULE.amount):
            assert await first.hit(RULE, "login", "a") == 0.0
        assert 59.0 <= await second.hit(RULE, "login", "a") <= 60.0
        await second.clear(RULE, "login", "a")
        assert await first.hit(RULE, "login", "a") == 0.0
    finally:
        await first.aclose()
        await second.aclose()


async def test_a_redis_that_is_down_is_reported_at_once() -> None:
    counters = Counters(DOWN_REDIS)
    started = time.monotonic()
    with pytest.raises(CountersUnavailable):
        await counters.hit(RULE, "login", "a")
    with pytest.raises(CountersUnavailable):
        await counters.clear(RULE, "login", "a")
    await counters.aclose()
    assert time.monotonic() - started < 5.0


@pytest.mark.parametrize(
    "uri", ["memcached://cache:11211", "redis:/host", "mongodb://db", "127.0.0.1:6379", ""]
)
def test_an_unknown_storage_is_refused_with_the_valid_ones_named(uri: str) -> None:
    with pytest.raises(ValidationError, match=r"LIMITS_STORAGE_URI must start with one of memory"):
        Settings(_env_file=None, limits_storage_uri=uri)


@pytest.mark.parametrize(
    ("uri", "scheme"),
    [("memory://", "memory"), ("async+rediss://:pw@cache:6380/2", "rediss")],
)
def test_a_known_storage_is_named_without_async(uri: str, scheme: str) -> None:
    assert storage_scheme(uri) == scheme


def test_counting_in_memory_imports_no_redis_client() -> None:
    program = (
        "import asyncio, sys\n"
        "import api.app, bot.app\n"
        "from limits import parse\n"
        "from core.counters import Counters\n"
        "asyncio.run(Counters('memory://').hit(parse('1/minute'), 'scope', 'key'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'redis', 'coredis'}))\n"
    )
    imported = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert imported.stdout.strip() == "[]"
