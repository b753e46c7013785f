"""Fixtures shared by the whole suite: real databases on SQLite and MariaDB."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.db import create_engine, create_sessionmaker
from core.settings import get_settings
from sandbox.image import build_image
from tests.support import databases
from tests.support import redis as test_redis

TEST_SANDBOX_IMAGE = "codestreak-sandbox:test"

#: fixtures that need a service, and the marker every test using them (even indirectly) gets
SERVICE_FIXTURES = {"sandbox_image": "docker", "mariadb_url": "mariadb", "redis_url": "redis"}


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Every test reads settings anew, never from a developer's `.env` or database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/settings-default.db")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database, made once per run."""
    return databases.sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def mariadb_url() -> Iterator[str]:
    """A migrated MariaDB database for this run, dropped at the end."""
    name = f"codestreak_test_{os.getpid()}"
    url = databases.run_in_own_loop(databases.create_mariadb_database(name))
    yield url
    databases.run_in_own_loop(databases.drop_mariadb_database(name))


@pytest.fixture
def redis_url() -> Iterator[str]:
    """An empty Redis database of this test's own on the test server, emptied afterwards."""
    with test_redis.isolated_database() as url:
        yield url


@pytest.fixture
def redis_queue_name() -> str:
    """A grading queue name no other test uses."""
    return test_redis.unique_name()


@pytest.fixture(scope="session")
def sandbox_image() -> str:
    """The sandbox image built from this checkout's Dockerfile and loader, once per run.

    CODESTREAK_SANDBOX_BASE picks the base image; without it the offline Debian base is used
    (built with debootstrap the first time, then cached by the engine).
    """
    base = os.environ.get("CODESTREAK_SANDBOX_BASE")
    databases.run_in_own_loop(build_image(TEST_SANDBOX_IMAGE, offline=base is None, base=base))
    return TEST_SANDBOX_IMAGE


@pytest.fixture(params=databases.BACKENDS)
async def database_url(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path
) -> AsyncIterator[str]:
    """A clean, migrated database for one test, on each backend."""
    if request.param == "sqlite":
        yield databases.sqlite_copy(sqlite_template, tmp_path)
        return
    url: str = request.getfixturevalue("mariadb_url")
    engine = create_engine(url)
    try:
        await databases.empty_all_tables(engine)
    finally:
        await engine.dispose()
    yield url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the test's database."""
    async for engine in databases.engine_for(database_url):
        yield engine


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """A session factory on the test's database."""
    return create_sessionmaker(engine)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the services its fixtures need: `-m "not docker"` then skips Docker."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for fixture, marker in SERVICE_FIXTURES.items():
            if fixture in used:
                item.add_marker(marker)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many database tests ran on each backend, so a run shows MariaDB was exercised."""
    counts = {backend: {"passed": 0, "failed": 0} for backend in ("sqlite", "mariadb")}
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            params = getattr(report, "nodeid", "").partition("[")[2]
            for backend in counts:
                if backend in params.rstrip("]").split("-") and report.when == "call":
                    counts[backend][outcome] += 1
    terminalreporter.write_sep("-", "database tests by backend")
    for backend, count in counts.items():
        terminalreporter.write_line(
            f"on {backend}, {count['passed']} database tests passed and {count['failed']} failed"
        )
