"""Real test databases: a migrated SQLite file per test and a migrated MariaDB schema per run."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core import migrations
from core.db import create_engine
from core.models import Base

T = TypeVar("T")
Sessions = async_sessionmaker[AsyncSession]

#: the backends a database test runs on
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("mariadb", id="mariadb", marks=pytest.mark.mariadb),
]

MARIADB_SERVER_URL = os.environ.get(
    "TEST_MARIADB_URL", "mysql+aiomysql://codestreak:codestreak@127.0.0.1:3306"
)


def sqlite_template(folder: Path) -> Path:
    """Create a migrated SQLite file to copy for each test."""
    path = folder / "template.db"
    migrations.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


def sqlite_copy(template: Path, folder: Path) -> str:
    """A fresh database for one test: a copy of the migrated template."""
    target = folder / "test.db"
    shutil.copyfile(template, target)
    return f"sqlite+aiosqlite:///{target}"


async def create_mariadb_database(name: str, revision: str = "head") -> str:
    """Drop and create one database on the test MariaDB server, migrated to `revision`."""
    server = create_engine(MARIADB_SERVER_URL)
    try:
        async with server.begin() as connection:
            await connection.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
            await connection.execute(
                text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
            )
    finally:
        await server.dispose()
    url = make_url(MARIADB_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    await migrations.upgrade_async(url, revision)
    return url


async def drop_mariadb_database(name: str) -> None:
    """Remove a test database."""
    server = create_engine(MARIADB_SERVER_URL)
    try:
        async with server.begin() as connection:
            await connection.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
    finally:
        await server.dispose()


async def empty_all_tables(engine: AsyncEngine) -> None:
    """Delete every row so the next test starts from a clean, migrated database."""
    async with engine.begin() as connection:
        await connection.execute(text("SET FOREIGN_KEY_CHECKS=0"))
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(table.delete())
        await connection.execute(text("SET FOREIGN_KEY_CHECKS=1"))


async def engine_for(url: str) -> AsyncIterator[AsyncEngine]:
    """An engine for one test, disposed afterwards."""
    engine = create_engine(url)
    try:
        yield engine
    finally:
        await engine.dispose()


def run_in_own_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on a new loop in a worker thread.

    Session fixtures are set up from inside a test's running loop, where `asyncio.run` is refused.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
