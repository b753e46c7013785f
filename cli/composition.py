"""The composition root: a process's parts, built once and started in one order.

Every serving command starts the same way: open the one database engine of the process and
bring it to the code's schema (migrate under a lock, or wait for `codestreak migrate` with
`MIGRATE_ON_START=false`); a process that grades then loads the content, starts its grader (its
own sandbox pool, or the client of the grading queue with `GRADING_MODE=queue`) and deals with
submissions left pending. The adapters (`create_app`, `create_bot`) are handed these parts; none
builds its own. The grading queue's libraries are imported in queue mode only.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol

import typer
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from core import migrations
from core.content.files import read_content
from core.content.loader import ContentError, load_content
from core.db import Database, describe_url, open_database, session_scope
from core.grading import Grader, sandbox_pool
from core.health import Reachable
from core.settings import GradingMode, Settings
from core.submissions.ledger import fail_interrupted
from core.submissions.service import SubmissionService
from core.submissions.sweep import PendingSweeper, pending_max_age
from sandbox import SandboxError, SandboxPool

logger = logging.getLogger(__name__)

#: the MariaDB/MySQL named lock that one process at a time migrates under
MIGRATION_LOCK = "codestreak.migrate"
#: how long a process waits for another one's migrations (under the lock) before giving up
MIGRATION_LOCK_WAIT_S = 600
#: how long a replica with MIGRATE_ON_START=false waits for `codestreak migrate`
MIGRATION_WAIT_S = 300.0
MIGRATION_POLL_S = 1.0
#: where Alembic keeps the revision a database is at
ALEMBIC_VERSION_TABLE = "alembic_version"


class ExitCode(IntEnum):
    """How a serving command ended."""

    STOPPED = 0
    STARTUP_FAILED = 1
    DISCORD_REFUSED = 2


class StartupFailed(Exception):
    """A start-up step failed; `lines` tell the operator what and where."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines

    def report(self) -> ExitCode:
        """Print the lines to stderr; the exit code for a failed start."""
        for line in self.lines:
            typer.secho(line, fg="red", err=True)
        return ExitCode.STARTUP_FAILED


class QueueClient(Grader, Reachable, Protocol):
    """The grading queue as a process that submits sees it: a grader whose Redis can be probed."""


@dataclass(frozen=True, slots=True)
class GradingParts:
    """What a process that grades shares between its website and its bot.

    `grader` is the sandbox `pool` (pool mode) or the grading queue's client, `broker` (queue
    mode); the other is None.
    """

    settings: Settings
    database: Database
    grader: Grader
    submissions: SubmissionService
    pool: SandboxPool | None = None
    broker: QueueClient | None = None


@asynccontextmanager
async def migrated_database(
    settings: Settings, *, with_content: bool = False
) -> AsyncIterator[Database]:
    """The process's database, at the code's schema, until the block ends.

    With MIGRATE_ON_START (the default) pending migrations are applied first, and the content
    loaded when `with_content`, under a lock so that replicas starting together take turns;
    without it the database is awaited until `codestreak migrate` has brought it to the head.
    """
    url = settings.database_url
    logger.info("database %s", describe_url(url))
    try:
        async with open_database(url, echo=settings.database_echo) as database:
            if settings.migrate_on_start:
                await prepare_database(settings, database, with_content=with_content)
            else:
                await wait_for_migrations(settings, database.engine)
            yield database
    finally:
        logger.info("stopped")


async def prepare_database(settings: Settings, database: Database, *, with_content: bool) -> None:
    """Apply pending migrations and, when `with_content`, load the content; under the lock."""
    url = settings.database_url
    async with migration_lock(database.engine, url):
        try:
            await migrations.upgrade_async(url)
        except Exception as exc:  # any driver error: say what and where, not a traceback
            raise StartupFailed(f"Cannot migrate {describe_url(url)}: {exc}") from exc
        if with_content:
            await _load_content(settings, database)


@asynccontextmanager
async def migration_lock(engine: AsyncEngine, url: str) -> AsyncIterator[None]:
    """Hold MariaDB/MySQL's named migration lock for the block (SQLite needs none).

    The lock belongs to a connection of its own, so it is released if the process dies.
    """
    if engine.dialect.name != "mysql":
        yield
        return
    async with AsyncExitStack() as held:
        try:
            connection = await held.enter_async_context(engine.connect())
        except (SQLAlchemyError, OSError) as exc:
            raise StartupFailed(f"Cannot reach {describe_url(url)}: {exc}") from exc
        try:
            got = await connection.scalar(
                text("SELECT GET_LOCK(:name, :wait)"),
                {"name": MIGRATION_LOCK, "wait": MIGRATION_LOCK_WAIT_S},
            )
        except (SQLAlchemyError, OSError) as exc:
            raise StartupFailed(f"Cannot lock {describe_url(url)} to migrate: {exc}") from exc
        if got != 1:
            raise StartupFailed(
                f"Another process held the migration lock of {describe_url(url)} for "
                f"{MIGRATION_LOCK_WAIT_S} s; is a migration stuck?"
            )
        try:
            yield
        finally:
            await connection.execute(text("SELECT RELEASE_LOCK(:name)"), {"name": MIGRATION_LOCK})


async def wait_for_migrations(
    settings: Settings,
    engine: AsyncEngine,
    timeout_s: float = MIGRATION_WAIT_S,
    poll_s: float = MIGRATION_POLL_S,
) -> None:
    """Return once the database is at the code's head revision; StartupFailed after `timeout_s`.

    For replicas started with MIGRATE_ON_START=false next to a one-shot `codestreak migrate`.
    """
    url = settings.database_url
    head = migrations.head_revision(url)
    deadline = time.monotonic() + timeout_s
    logged = False
    while True:
        try:
            current = await _current_revision(engine)
        except (SQLAlchemyError, OSError) as exc:
            problem = f"unreachable ({exc})"
        else:
            if current == head:
                return
            problem = f"at revision {current or 'none (empty)'}"
        if time.monotonic() >= deadline:
            raise StartupFailed(
                f"The database {describe_url(url)} is {problem}, not at {head}, after waiting "
                f"{timeout_s:g} s.",
                "Run `codestreak migrate` (or set MIGRATE_ON_START=true to migrate at start).",
            )
        if not logged:
            logger.info(
                "waiting up to %g s for `codestreak migrate`: the database is %s, the code "
                "needs %s",
                timeout_s,
                problem,
                head,
            )
            logged = True
        await asyncio.sleep(poll_s)


async def _current_revision(engine: AsyncEngine) -> str | None:
    """The database's revision, read without Alembic's context (which logs two lines per read)."""

    def read(connection: Connection) -> str | None:
        if not inspect(connection).has_table(ALEMBIC_VERSION_TABLE):
            return None
        revision = connection.scalar(text(f"SELECT version_num FROM {ALEMBIC_VERSION_TABLE}"))
        return None if revision is None else str(revision)

    async with engine.connect() as connection:
        return await connection.run_sync(read)


async def _load_content(settings: Settings, database: Database) -> None:
    """Load the content files (idempotent); StartupFailed listing the problems."""
    try:
        async with session_scope(database.sessions) as session:
            # Content files are proved in the sandbox by `content check --sandbox` (and the test
            # suite); tasks added by moderators are proved when they are added.
            report = await load_content(session, read_content(settings.content_dir))
    except ContentError as exc:
        raise StartupFailed(*exc.problems, "The content has problems; nothing was loaded.") from exc
    logger.info(
        "content: %d task(s) created, %d updated, %d unchanged",
        len(report.tasks.created),
        len(report.tasks.updated),
        report.tasks.unchanged,
    )


@asynccontextmanager
async def grading_process(settings: Settings) -> AsyncIterator[GradingParts]:
    """The parts of a process that grades, started in order and closed in reverse.

    Database (migrated, content loaded), then the grader: in pool mode the sandbox pool, after
    which submissions a previous process left pending are marked as interrupted; in queue mode
    the queue's client, and a periodic sweep of submissions pending longer than anyone waits for
    them (other processes' gradings are in flight at any time). On leaving, every sandbox
    container is removed (pool mode) or the sweep stopped and the queue's connections closed
    (queue mode), then the database's connections are closed.
    """
    async with migrated_database(settings, with_content=True) as database:
        if settings.grading_mode is GradingMode.QUEUE:
            async with queue_client(settings) as broker:
                sweeper = PendingSweeper(database.sessions, pending_max_age(settings))
                sweeper.start()
                try:
                    yield _parts(settings, database, broker, broker=broker)
                finally:
                    await sweeper.stop()
            return
        pool = sandbox_pool(settings)
        try:
            await pool.start()
        except SandboxError as exc:
            raise StartupFailed(f"The grading sandbox cannot start: {exc}") from exc
        try:
            await _fail_interrupted(database)
            yield _parts(settings, database, pool, pool=pool)
        finally:
            await pool.close()


def _parts(
    settings: Settings,
    database: Database,
    grader: Grader,
    *,
    pool: SandboxPool | None = None,
    broker: QueueClient | None = None,
) -> GradingParts:
    submissions = SubmissionService(
        database.sessions, grader, max_code_bytes=settings.max_code_bytes
    )
    return GradingParts(settings, database, grader, submissions, pool=pool, broker=broker)


@asynccontextmanager
async def queue_client(settings: Settings) -> AsyncIterator[QueueClient]:
    """The grading queue's client, connected to REDIS_URL until the block ends.

    Imported here, and only in queue mode, so that the embedded process never loads the queue's
    libraries.
    """
    from grading_queue.client import QueueGrader

    assert settings.redis_url is not None  # the settings refuse queue mode without it
    client = QueueGrader(
        settings.redis_url.get_secret_value(),
        settings.queue_name,
        settings.queue_max_depth,
        settings.queue_job_expiry_s,
    )
    try:
        await client.start()
    except Exception as exc:  # any connection error: say where, not a traceback
        raise StartupFailed(
            f"The grading queue cannot start: {exc}",
            "Check REDIS_URL and that Redis runs; GRADING_MODE=pool grades without it.",
        ) from exc
    try:
        yield client
    finally:
        await client.close()


async def _fail_interrupted(database: Database) -> None:
    """Mark submissions left pending as interrupted: in pool mode none can still be grading."""
    async with session_scope(database.sessions) as session:
        interrupted = await fail_interrupted(session)
    if interrupted:
        logger.warning(
            "%d submission(s) were grading when the last process stopped; marked as "
            "sandbox errors: %s",
            len(interrupted),
            ", ".join(str(s.id) for s in interrupted),
        )
