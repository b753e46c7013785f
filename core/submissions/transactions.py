"""Transactions of the submission ledger, run again when the database rolled them back.

Completions and sweeps lock rows that racing ones want too; MariaDB may then choose one of
them as the victim of a deadlock and roll its whole transaction back, which makes running it
again safe.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import session_scope

logger = logging.getLogger(__name__)

T = TypeVar("T")

ATTEMPTS = 4
#: MySQL errors after which the whole transaction was rolled back and may simply run again:
#: deadlock, lock wait timeout, and a savepoint lost to the deadlock's rollback.
TRANSIENT_MYSQL_ERRORS = frozenset({1213, 1205, 1305})


async def retried(
    sessions: async_sessionmaker[AsyncSession],
    work: Callable[[AsyncSession], Awaitable[T]],
    attempts: int = ATTEMPTS,
) -> T:
    """`work` in one transaction (committed on success), again up to `attempts` times in all
    when the database rolled it back as the victim of a deadlock or a lock wait timeout."""
    for attempt in range(1, attempts + 1):
        try:
            async with session_scope(sessions) as session:
                return await work(session)
        except DBAPIError as exc:
            if attempt == attempts or not is_transient(exc):
                raise
            logger.warning("retrying after a transient database error: %s", exc.orig)
            await asyncio.sleep(0.01 * attempt)
    raise AssertionError("unreachable")


def is_transient(error: DBAPIError) -> bool:
    """True for database errors that a retry of the same transaction can overcome."""
    code = error.orig.args[0] if error.orig is not None and error.orig.args else None
    return code in TRANSIENT_MYSQL_ERRORS
