"""The composition root: one engine per process, migrations that replicas take turns at or wait
for, and the grader the settings choose (the process's pool, or the grading queue)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from cli.composition import (
    MIGRATION_LOCK,
    StartupFailed,
    grading_process,
    migrated_database,
    prepare_database,
    wait_for_migrations,
)
from cli.run import site_and_bot
from core import migrations
from core.db import create_engine, open_database, session_scope
from core.models import Submission, Task, utcnow
from core.settings import GradingMode, Settings
from core.submissions.sweep import pending_max_age
from core.verdicts import SubmissionVerdict
from tests.support import databases
from tests.support.bot_scene import content_database, pending_submission

DATA = Path(__file__).parents[2] / "data"
SECRET = SecretStr("composition-tests-secret-key-long-enough-to-sign")


def _settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "content_dir": DATA,
        "discord_token": SecretStr("a-token-the-bot-never-uses-here"),
        "secret_key": SECRET,
        "sandbox_pool_name": f"composition-{os.getpid()}",
        "sandbox_pool_size": 1,
        "sandbox_max_concurrent": 1,
        **overrides,
    }
    return Settings(_env_file=None, **values)


@pytest.fixture
async def fresh_mariadb() -> AsyncIterator[str]:
    """An empty MariaDB database (no schema yet), dropped afterwards."""
    name = f"codestreak_fresh_{uuid.uuid4().hex[:10]}"
    url = await databases.create_mariadb_database(name, revision="base")
    try:
        yield url
    finally:
        await databases.drop_mariadb_database(name)


async def test_site_and_bot_share_the_processs_one_engine(
    sqlite_template: Path, sandbox_image: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = databases.sqlite_copy(sqlite_template, tmp_path)
    settings = _settings(url, sandbox_image=sandbox_image)
    async with grading_process(settings) as parts:
        created: list[AsyncEngine] = []

        def counting(*args: Any, **kwargs: Any) -> AsyncEngine:
            created.append(create_async_engine(*args, **kwargs))
            return created[-1]

        monkeypatch.setattr("core.db.create_async_engine", counting)
        app, bot = site_and_bot(parts)
        assert bot is not None
        async with app.router.lifespan_context(app):
            site = app.state.site
            assert site.engine is parts.database.engine
            assert site.sessions is parts.database.sessions
            assert site.grader is parts.grader is parts.pool
            assert site.submissions is parts.submissions  # one service to drain at shutdown
            assert site.health.pool is parts.pool
            assert site.health.broker is None
        assert bot.services.sessions is parts.database.sessions
        assert bot.services.grader is parts.pool
        assert bot.services.submissions is parts.submissions
    assert created == []


async def test_queue_mode_grades_through_the_queue_starts_no_pool_and_sweeps_no_peer(
    sqlite_template: Path, tmp_path: Path, redis_url: str, redis_queue_name: str
) -> None:
    url = databases.sqlite_copy(sqlite_template, tmp_path)
    async with content_database(url, tmp_path) as sessions:
        await pending_submission(sessions)  # a peer may be grading it right now
    settings = _settings(
        url,
        grading_mode=GradingMode.QUEUE,
        redis_url=SecretStr(redis_url),
        queue_name=redis_queue_name,
        sandbox_docker_url="tcp://127.0.0.1:1",  # no engine here: starting a pool would fail
    )
    async with grading_process(settings) as parts:
        assert parts.pool is None
        assert parts.broker is parts.grader
        assert type(parts.broker).__name__ == "QueueGrader"
        app, bot = site_and_bot(parts)
        assert bot is not None
        assert bot.services.grader is parts.broker
        async with app.router.lifespan_context(app):
            site = app.state.site
            assert site.grader is parts.broker  # the designer grades through the queue too
            assert site.submissions is parts.submissions  # and so do the task pages
            readiness = await site.health.readiness()
            assert readiness.checks == {"database": True, "redis": True, "discord": False}
        async with parts.database.sessions() as session:
            verdicts = list(await session.scalars(select(Submission.verdict)))
    assert verdicts == [SubmissionVerdict.PENDING]


async def _left_pending(sessions: databases.Sessions, age: timedelta) -> int:
    """A submission made `age` ago and left pending (its grading's process is gone); its id."""
    await pending_submission(sessions)
    async with session_scope(sessions) as session:
        latest = await session.scalar(select(func.max(Submission.id)))
        assert latest is not None
        await session.execute(
            update(Submission).where(Submission.id == latest).values(created_at=utcnow() - age)
        )
        return int(latest)


async def _verdicts(sessions: databases.Sessions) -> dict[int, SubmissionVerdict]:
    async with sessions() as session:
        return dict((await session.execute(select(Submission.id, Submission.verdict))).all())


async def test_pool_mode_marks_every_pending_submission_at_start(
    sqlite_template: Path, sandbox_image: str, tmp_path: Path
) -> None:
    url = databases.sqlite_copy(sqlite_template, tmp_path)
    async with content_database(url, tmp_path) as sessions:
        old = await _left_pending(sessions, timedelta(hours=2))
        fresh = await _left_pending(sessions, timedelta(seconds=1))
    async with grading_process(_settings(url, sandbox_image=sandbox_image)) as parts:
        assert await _verdicts(parts.database.sessions) == {
            old: SubmissionVerdict.SANDBOX_ERROR,
            fresh: SubmissionVerdict.SANDBOX_ERROR,
        }


async def test_queue_mode_sweeps_what_was_pending_longer_than_anyone_waits(
    sqlite_template: Path, tmp_path: Path, redis_url: str, redis_queue_name: str
) -> None:
    url = databases.sqlite_copy(sqlite_template, tmp_path)
    settings = _settings(
        url,
        grading_mode=GradingMode.QUEUE,
        redis_url=SecretStr(redis_url),
        queue_name=redis_queue_name,
    )
    async with content_database(url, tmp_path) as sessions:
        lost = await _left_pending(sessions, pending_max_age(settings) + timedelta(minutes=1))
        graded_now = await _left_pending(sessions, pending_max_age(settings) - timedelta(minutes=1))
    async with grading_process(settings) as parts:
        expected = {lost: SubmissionVerdict.SANDBOX_ERROR, graded_now: SubmissionVerdict.PENDING}
        for _ in range(100):  # the first pass runs at start, in the background
            if await _verdicts(parts.database.sessions) == expected:
                break
            await asyncio.sleep(0.05)
        assert await _verdicts(parts.database.sessions) == expected


async def test_a_replica_that_does_not_migrate_waits_then_fails_clearly(tmp_path: Path) -> None:
    settings = _settings(f"sqlite+aiosqlite:///{tmp_path}/empty.db", migrate_on_start=False)
    async with open_database(settings.database_url) as database:
        with pytest.raises(StartupFailed) as failed:
            await wait_for_migrations(settings, database.engine, timeout_s=0.3, poll_s=0.05)
    message = "\n".join(failed.value.lines)
    assert "none (empty)" in message
    assert "after waiting 0.3 s" in message
    assert "codestreak migrate" in message


async def test_a_replica_that_does_not_migrate_starts_once_the_database_is_at_the_head(
    tmp_path: Path,
) -> None:
    settings = _settings(f"sqlite+aiosqlite:///{tmp_path}/later.db", migrate_on_start=False)
    async with open_database(settings.database_url) as database:
        waiting = asyncio.create_task(
            wait_for_migrations(settings, database.engine, timeout_s=60, poll_s=0.05)
        )
        await asyncio.sleep(0.3)
        assert not waiting.done()
        await migrations.upgrade_async(settings.database_url)
        await asyncio.wait_for(waiting, 10)


@pytest.mark.mariadb
async def test_migrating_waits_for_the_migration_lock_on_mariadb(fresh_mariadb: str) -> None:
    settings = _settings(fresh_mariadb)
    holder = create_engine(fresh_mariadb)
    try:
        async with holder.connect() as held, open_database(fresh_mariadb) as database:
            assert await held.scalar(text("SELECT GET_LOCK(:n, 0)"), {"n": MIGRATION_LOCK}) == 1
            migrating = asyncio.create_task(
                prepare_database(settings, database, with_content=False)
            )
            await asyncio.sleep(1.0)
            assert not migrating.done()
            assert await migrations.current_revision(database.engine) is None
            await held.execute(text("SELECT RELEASE_LOCK(:n)"), {"n": MIGRATION_LOCK})
            await asyncio.wait_for(migrating, 120)
            head = migrations.head_revision(fresh_mariadb)
            assert await migrations.current_revision(database.engine) == head
    finally:
        await holder.dispose()


@pytest.mark.mariadb
async def test_two_processes_starting_at_once_on_a_fresh_mariadb_both_start(
    fresh_mariadb: str,
) -> None:
    settings = _settings(fresh_mariadb)

    async def start() -> int:
        async with (
            migrated_database(settings, with_content=True) as database,
            database.sessions() as session,
        ):
            return int(await session.scalar(select(func.count()).select_from(Task)) or 0)

    first, second = await asyncio.wait_for(asyncio.gather(start(), start()), 300)
    shipped = len(list((DATA / "tasks").glob("*.json")))
    assert first == second == shipped
