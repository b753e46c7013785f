"""The composition root: a process's parts, built once and started in one order.

Every serving command starts the same way: apply pending migrations, open the one database
engine of the process, and, when the process grades, start the sandbox pool, mark submissions a
previous process left pending as interrupted and load the content. The adapters (`create_app`,
`create_bot`) are handed these parts; none builds its own.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import IntEnum

import typer

from core import migrations
from core.content.files import read_content
from core.content.loader import ContentError, load_content
from core.db import Database, describe_url, open_database, session_scope
from core.grading import sandbox_pool
from core.settings import Settings
from core.submissions.ledger import fail_interrupted
from core.submissions.service import SubmissionService
from sandbox import SandboxError, SandboxPool

logger = logging.getLogger(__name__)


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


@dataclass(frozen=True, slots=True)
class GradingParts:
    """What a process that grades shares between its website and its bot."""

    settings: Settings
    database: Database
    pool: SandboxPool
    submissions: SubmissionService


@asynccontextmanager
async def migrated_database(settings: Settings) -> AsyncIterator[Database]:
    """Apply pending migrations, then the process's database until the block ends."""
    url = settings.database_url
    try:
        await migrations.upgrade_async(url)
    except Exception as exc:  # any driver error: say what and where, not a traceback
        raise StartupFailed(f"Cannot migrate {describe_url(url)}: {exc}") from exc
    logger.info("database %s", describe_url(url))
    try:
        async with open_database(url, echo=settings.database_echo) as database:
            yield database
    finally:
        logger.info("stopped")


@asynccontextmanager
async def grading_process(settings: Settings) -> AsyncIterator[GradingParts]:
    """The parts of a process that grades, started in order and closed in reverse.

    Migrations, database, sandbox pool, interrupted submissions, content. On leaving, every
    sandbox container is removed and the database's connections are closed.
    """
    async with migrated_database(settings) as database:
        pool = sandbox_pool(settings)
        try:
            await pool.start()
        except SandboxError as exc:
            raise StartupFailed(f"The grading sandbox cannot start: {exc}") from exc
        try:
            await _recover_and_load(settings, database)
            yield GradingParts(
                settings,
                database,
                pool,
                SubmissionService(database.sessions, pool, max_code_bytes=settings.max_code_bytes),
            )
        finally:
            await pool.close()


async def _recover_and_load(settings: Settings, database: Database) -> None:
    """Mark submissions left pending as interrupted, then load the content files."""
    try:
        async with session_scope(database.sessions) as session:
            interrupted = await fail_interrupted(session)
            if interrupted:
                logger.warning(
                    "%d submission(s) were grading when the last process stopped; marked as "
                    "sandbox errors: %s",
                    len(interrupted),
                    ", ".join(str(s.id) for s in interrupted),
                )
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
