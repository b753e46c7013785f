"""Engine behaviour that every request relies on, on a real MariaDB server."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import create_engine, create_sessionmaker, session_scope
from core.models import ScoreCount

pytestmark = pytest.mark.mariadb


async def _rollbacks_so_far(sessions: async_sessionmaker[AsyncSession]) -> int:
    """ROLLBACK statements the (single, pooled) connection has sent so far."""
    async with session_scope(sessions) as session:
        row = (await session.execute(text("SHOW SESSION STATUS LIKE 'Com_rollback'"))).one()
    return int(row[1])


async def test_committed_sessions_are_not_rolled_back_again(mariadb_url: str) -> None:
    engine = create_engine(mariadb_url)
    sessions = create_sessionmaker(engine)
    try:
        before = await _rollbacks_so_far(sessions)
        for _ in range(5):
            async with session_scope(sessions) as session:
                await session.execute(text("SELECT 1"))
        after = await _rollbacks_so_far(sessions)
    finally:
        await engine.dispose()
    assert after == before


async def test_a_connection_returned_mid_transaction_is_rolled_back(mariadb_url: str) -> None:
    engine = create_engine(mariadb_url)
    sessions = create_sessionmaker(engine)
    try:
        async with engine.connect() as connection:
            driver = (await connection.get_raw_connection()).driver_connection
            assert driver is not None
            cursor = await driver.cursor()
            # written behind SQLAlchemy's back: only the pool's reset can undo it
            await cursor.execute("INSERT INTO score_counts (points, learners) VALUES (987654, 1)")
            await cursor.close()
        async with sessions() as session:
            left = await session.scalar(
                select(func.count()).select_from(ScoreCount).where(ScoreCount.points == 987654)
            )
    finally:
        await engine.dispose()
    assert left == 0
