"""The models and the migrations describe the same schema, on every backend."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    Boolean,
    Float,
    Integer,
    String,
    Time,
    column,
    insert,
    inspect,
    select,
    table,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from core import migrations
from core.db import create_engine
from core.models import Base
from core.models.base import JSONDoc, UTCDateTime
from tests.support import databases


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_autogenerate_finds_no_difference(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(_differences)
    assert differences == []


async def test_database_is_at_head(engine: AsyncEngine, database_url: str) -> None:
    assert await migrations.current_revision(engine) == migrations.head_revision(database_url)


async def test_every_model_table_exists(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert set(Base.metadata.tables) <= tables


HIDDEN_MARK = "HIDDEN-MARK-7f3a"
BATCH = 500  # the migration's batch size: the test rows span more than one batch
_users = table(
    "users",
    column("id", Integer),
    column("display_name", String),
    column("is_moderator", Boolean),
    column("points", Integer),
    column("current_streak", Integer),
    column("best_streak", Integer),
    column("streak_freezes", Integer),
    column("created_at", UTCDateTime),
)
_tasks = table(
    "tasks",
    column("id", Integer),
    *(column(name, String) for name in ("slug", "title", "difficulty", "statement")),
    *(column(name, String) for name in ("template", "solution", "compare_mode", "content_hash")),
    column("points", Integer),
    column("wrong_solutions", JSONDoc),
    column("time_limit_s", Float),
    column("memory_mb", Integer),
    column("published", Boolean),
    column("created_at", UTCDateTime),
    column("updated_at", UTCDateTime),
)
_submissions = table(
    "submissions",
    column("id", Integer),
    column("user_id", Integer),
    column("task_id", Integer),
    column("source", String),
    column("code", String),
    column("verdict", String),
    column("results", JSONDoc),
    column("message", String),
    column("created_at", UTCDateTime),
)


def _result(index: int, hidden: bool, verdict: str | None, text: str) -> dict[str, Any]:
    """A per-test result as revision 0007's code stored it, hidden data included."""
    return {
        "index": index,
        "passed": verdict == "accepted",
        "hidden": hidden,
        "verdict": verdict,
        "time_ms": 3.5,
        "input": f"{text} in\n",
        "expected": f"{text} out\n",
        "actual": f"{text} actual\n",
        "stderr": f"Exception: {text}",
    }


#: id -> (verdict, results, message) as stored before the migration
_BEFORE: dict[int, tuple[str, list[dict[str, Any]] | None, str | None]] = {
    1: (
        "runtime_error",
        [_result(0, False, "accepted", "visible"), _result(1, True, "runtime_error", HIDDEN_MARK)],
        f"Traceback (most recent call last):\nException: {HIDDEN_MARK}",
    ),
    2: (
        "runtime_error",
        [_result(0, False, "runtime_error", "visible"), _result(1, True, None, HIDDEN_MARK)],
        "Traceback (most recent call last):\nException: visible",
    ),
    3: (
        "time_limit",
        [_result(0, True, "time_limit", HIDDEN_MARK), _result(1, True, None, HIDDEN_MARK)],
        f"CPU time limit exceeded\n{HIDDEN_MARK}",
    ),
    4: ("pending", None, None),
}


@asynccontextmanager
async def _database_at(backend: str, tmp_path: Path, revision: str) -> AsyncIterator[str]:
    """A database of its own migrated to `revision` on `backend`; its URL."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/at-{revision}.db"
        await migrations.upgrade_async(url, revision)
        yield url
        return
    name = f"codestreak_test_{os.getpid()}_at_{revision}"
    url = await databases.create_mariadb_database(name, revision=revision)
    try:
        yield url
    finally:
        await databases.drop_mariadb_database(name)


@pytest.fixture(params=databases.BACKENDS)
async def url_at_0007(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database of its own migrated to revision 0007, on each backend."""
    async with _database_at(request.param, tmp_path, "0007") as url:
        yield url


@pytest.fixture(params=databases.BACKENDS)
async def url_at_0011(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database of its own migrated to revision 0011, on each backend."""
    async with _database_at(request.param, tmp_path, "0011") as url:
        yield url


NOW = datetime(2026, 11, 30, tzinfo=UTC)
COUNTS = {"points": 0, "current_streak": 0, "best_streak": 0, "streak_freezes": 0}
TASK_ROW = {
    "title": "T",
    "difficulty": "easy",
    "statement": "",
    "template": "",
    "solution": "",
    "compare_mode": "exact",
    "content_hash": "x",
    "points": 10,
    "wrong_solutions": [],
    "time_limit_s": 1.0,
    "memory_mb": 64,
    "published": True,
    "created_at": NOW,
    "updated_at": NOW,
}


def _user_row(id_: int, name: str, moderator: bool) -> dict[str, Any]:
    return {"id": id_, "display_name": name, "is_moderator": moderator, "created_at": NOW, **COUNTS}


async def _stored_at_0007(url: str) -> None:
    rows = [
        {"id": id_, "verdict": verdict, "results": results, "message": message}
        for id_, (verdict, results, message) in _BEFORE.items()
    ]
    # more hidden results past the first batch
    rows += [
        {
            "id": id_,
            "verdict": "wrong_answer",
            "results": [_result(0, True, "wrong_answer", HIDDEN_MARK)],
            "message": None,
        }
        for id_ in range(10, 10 + BATCH + 2)
    ]
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(_users), [_user_row(1, "Ada", False)])
            await connection.execute(insert(_tasks), [{"id": 1, "slug": "t", **TASK_ROW}])
            await connection.execute(
                insert(_submissions),
                [
                    {
                        "user_id": 1,
                        "task_id": 1,
                        "source": "web",
                        "code": "",
                        "created_at": NOW,
                        **row,
                    }
                    for row in rows
                ],
            )
    finally:
        await engine.dispose()


async def _stored(url: str) -> dict[int, tuple[Any, str | None]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(_submissions.c.id, _submissions.c.results, _submissions.c.message)
            )
            return {id_: (results, message) for id_, results, message in rows}
    finally:
        await engine.dispose()


async def test_0008_scrubs_hidden_tests_data_from_stored_submissions(url_at_0007: str) -> None:
    await _stored_at_0007(url_at_0007)
    await migrations.upgrade_async(url_at_0007, "0008")

    after = await _stored(url_at_0007)
    assert HIDDEN_MARK not in json.dumps(after)
    assert len(after) == len(_BEFORE) + BATCH + 2
    # a hidden test keeps what a learner may see
    results, message = after[1]
    assert results[1] == {
        "index": 1,
        "passed": False,
        "hidden": True,
        "verdict": "runtime_error",
        "time_ms": 3.5,
    }
    assert message == "runtime error on a hidden test"
    # a visible test keeps everything, and so does a message of a visible test
    assert results[0] == _result(0, False, "accepted", "visible")
    results, message = after[2]
    assert results[0] == _result(0, False, "runtime_error", "visible")
    assert message == _BEFORE[2][2]
    assert after[3][1] == "time limit exceeded on a hidden test"
    assert after[4] == (None, None)
    assert after[10 + BATCH + 1][0] == [
        {"index": 0, "passed": False, "hidden": True, "verdict": "wrong_answer", "time_ms": 3.5}
    ]


async def test_0008_runs_again_without_changing_anything(url_at_0007: str) -> None:
    await _stored_at_0007(url_at_0007)
    await migrations.upgrade_async(url_at_0007, "0008")
    once = await _stored(url_at_0007)

    config = migrations.alembic_config(url_at_0007)
    await asyncio.to_thread(command.stamp, config, "0007")
    await migrations.upgrade_async(url_at_0007, "0008")

    assert await _stored(url_at_0007) == once


async def _rows(url: str, query: Any) -> list[Any]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return list(await connection.execute(query))
    finally:
        await engine.dispose()


async def test_0012_makes_tasks_global_and_grants_no_right_silently(url_at_0011: str) -> None:
    engine = create_engine(url_at_0011)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(_users), [_user_row(1, "Ada", True), _user_row(2, "Bob", False)]
            )
            await connection.execute(
                insert(_tasks),
                [{"id": 1, "slug": "a", **TASK_ROW}, {"id": 2, "slug": "b", **TASK_ROW}],
            )
    finally:
        await engine.dispose()

    await migrations.upgrade_async(url_at_0011, "0012")

    users = table(
        "users",
        column("id", Integer),
        column("is_curator", Boolean),
        column("former_moderator", Boolean),
    )
    assert sorted(await _rows(url_at_0011, select(users).order_by(users.c.id))) == [
        (1, False, True),  # listed for the operator to confirm, not a curator
        (2, False, False),
    ]
    tasks = table("tasks", column("slug", String), column("owner_guild_id", Integer))
    assert sorted(await _rows(url_at_0011, select(tasks))) == [("a", 0), ("b", 0)]

    config = migrations.alembic_config(url_at_0011)
    await asyncio.to_thread(command.downgrade, config, "0011")
    assert sorted(await _rows(url_at_0011, select(_users.c.id, _users.c.is_moderator))) == [
        (1, True),
        (2, False),
    ]


async def test_0015_gives_existing_rows_no_hints_reminders_or_sharing(url_at_0011: str) -> None:
    engine = create_engine(url_at_0011)
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(_users), [_user_row(1, "Ada", False)])
            await connection.execute(insert(_tasks), [{"id": 1, "slug": "a", **TASK_ROW}])
    finally:
        await engine.dispose()

    await migrations.upgrade_async(url_at_0011, "0015")

    users = table(
        "users",
        column("timezone", String),
        column("reminders", Boolean),
        column("reminder_time", Time),
    )
    assert await _rows(url_at_0011, select(users)) == [(None, False, time(20, 0))]
    tasks = table("tasks", column("hints", JSONDoc))
    assert await _rows(url_at_0011, select(tasks)) == [([],)]

    config = migrations.alembic_config(url_at_0011)
    await asyncio.to_thread(command.downgrade, config, "0014")
    assert await _rows(url_at_0011, select(_tasks.c.slug)) == [("a",)]


async def test_0016_keeps_site_accounts_public_and_hides_discord_only_learners(
    url_at_0011: str,
) -> None:
    engine = create_engine(url_at_0011)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(_users), [_user_row(1, "Ada", False), _user_row(2, "Bob", False)]
            )
            await connection.execute(
                table("users", column("id", Integer), column("email", String))
                .update()
                .where(column("id") == 1)
                .values(email="ada@example.org")
            )
    finally:
        await engine.dispose()

    await migrations.upgrade_async(url_at_0011, "0016")

    users = table("users", column("id", Integer), column("profile_public", Boolean))
    assert sorted(await _rows(url_at_0011, select(users))) == [(1, True), (2, False)]
    config = migrations.alembic_config(url_at_0011)
    await asyncio.to_thread(command.downgrade, config, "0015")
    assert sorted(await _rows(url_at_0011, select(_users.c.id))) == [(1,), (2,)]


async def test_0017_gives_existing_servers_the_default_daily_mix(url_at_0011: str) -> None:
    guilds = table(
        "guild_settings",
        column("guild_id", Integer),
        column("post_time", Time),
        column("timezone", String),
        column("achievement_roles", JSONDoc),
        column("announce_solves", Boolean),
        column("daily_bonus", Integer),
        column("updated_at", UTCDateTime),
    )
    row = {
        "guild_id": 7,
        "post_time": time(9, 0),
        "timezone": "UTC",
        "achievement_roles": {},
        "announce_solves": True,
        "daily_bonus": 5,
        "updated_at": NOW,
    }
    engine = create_engine(url_at_0011)
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(guilds), [row])
    finally:
        await engine.dispose()

    await migrations.upgrade_async(url_at_0011, "0017")

    mixes = table("guild_settings", column("guild_id", Integer), column("daily_mix", JSONDoc))
    assert await _rows(url_at_0011, select(mixes)) == [(7, None)]
    config = migrations.alembic_config(url_at_0011)
    await asyncio.to_thread(command.downgrade, config, "0016")
    assert await _rows(url_at_0011, select(guilds.c.guild_id)) == [(7,)]
