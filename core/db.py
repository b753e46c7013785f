"""Database engine and sessions for SQLite (embedded) and MySQL/MariaDB (aiomysql)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be reached; the message says what to check."""


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, begin transactions (see _begin_immediate).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    # Take the write lock at BEGIN: concurrent writers then wait for each other (busy_timeout)
    # instead of failing when a read transaction later tries to write.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _rollback_if_in_transaction(dbapi_connection: Any, _record: Any, state: Any) -> None:
    # A connection goes back to the pool after its session committed or rolled back; the
    # pool's default reset would send one more ROLLBACK every time. Only a connection that
    # still has a transaction open (the server says so in every reply) needs one.
    if not state.asyncio_safe or state.terminate_only:
        return
    in_transaction = getattr(dbapi_connection.driver_connection, "get_transaction_status", None)
    if in_transaction is None or in_transaction():  # a driver that cannot tell: roll back
        dbapi_connection.rollback()


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Create an async engine with backend-appropriate options.

    SQLite gets foreign keys, WAL and a busy timeout so that the bot and the site can share one
    file; its parent folder is created. MySQL connections are checked before use, use UTF-8mb4
    and are rolled back on return to the pool only when a transaction is still open.
    """
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs.update(
            pool_pre_ping=True,
            pool_recycle=3600,
            pool_size=10,
            max_overflow=20,
            pool_reset_on_return=None,  # see _rollback_if_in_transaction
        )
        if "charset" not in parsed.query:
            parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    engine = create_async_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _enable_sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
    else:
        event.listen(engine.sync_engine, "reset", _rollback_if_in_transaction)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Session factory whose objects stay usable after commit (the adapters render them)."""
    return async_sessionmaker(engine, expire_on_commit=False)


@dataclass(frozen=True, slots=True)
class Database:
    """A process's one engine (with its connection pool) and the sessions on it."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]


@asynccontextmanager
async def open_database(url: str, *, echo: bool = False) -> AsyncIterator[Database]:
    """The database at `url` for the life of the block; its connections are closed after."""
    engine = create_engine(url, echo=echo)
    try:
        yield Database(engine, create_sessionmaker(engine))
    finally:
        await engine.dispose()


def describe_url(url: str) -> str:
    """The database URL with the password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


@asynccontextmanager
async def session_scope(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit on success, roll back on any error."""
    async with sessions() as session, session.begin():
        yield session
