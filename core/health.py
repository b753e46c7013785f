"""Readiness of a running process: database, Docker engine, sandbox pool and Discord gateway."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from sandbox import SandboxPool

CHECK_TIMEOUT_S = 2.0


@dataclass(slots=True)
class HealthProbe:
    """What a process can be asked about; parts it does not run are left out of the answer."""

    engine: AsyncEngine
    pool: SandboxPool | None = None
    bot_connected: Callable[[], bool] | None = None

    async def readiness(self) -> dict[str, bool]:
        """Each part's state; the process is ready when every value is true."""
        checks = {"database": await self._database()}
        if self.pool is not None:
            checks["docker"] = await self.pool.engine_reachable(CHECK_TIMEOUT_S)
            checks["sandbox_pool"] = self.pool.ready_count > 0
        if self.bot_connected is not None:
            checks["discord"] = self.bot_connected()
        return checks

    async def _database(self) -> bool:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_S), self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError, TimeoutError):
            return False
        return True
