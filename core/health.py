"""Readiness of a running process: the database, the grading queue's Redis, the Docker engine,
the sandbox pool and the Discord gateway, each when the process uses it.

Two parts come and go while a process works normally: the sandbox pool is empty for a moment
while it refills after a burst, and the gateway drops for a moment when Discord asks the bot to
reconnect. Once seen up, such a part reports `false` without failing readiness (the status is
then `degraded`) until it has been down for longer than a grace period; the others fail it at
once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

CHECK_TIMEOUT_S = 2.0
#: how long a part that comes and goes may stay down, after it was last seen up, before it fails
#: readiness; probe more often than this
GRACE_S = 60.0


class Check(StrEnum):
    """The parts readiness reports on, named as in `/readyz`'s JSON."""

    DATABASE = "database"
    REDIS = "redis"
    DOCKER = "docker"
    SANDBOX_POOL = "sandbox_pool"
    DISCORD = "discord"


#: parts that are briefly down during normal work (see the module's docstring)
INTERMITTENT = frozenset({Check.SANDBOX_POOL, Check.DISCORD})


class Status(StrEnum):
    """The process's readiness as a whole."""

    READY = "ready"
    #: serving: only intermittent parts are down, and not for longer than the grace period
    DEGRADED = "degraded"
    NOT_READY = "not ready"


class Reachable(Protocol):
    """A service the process depends on that can be asked whether it answers (Redis)."""

    async def reachable(self, timeout_s: float) -> bool:
        """True when the service answered within `timeout_s`."""
        ...


class PoolState(Protocol):
    """What readiness reads from a sandbox pool."""

    @property
    def ready_count(self) -> int:
        """Containers started and waiting for a grading."""
        ...

    async def engine_reachable(self, timeout_s: float) -> bool:
        """True when the Docker engine answered within `timeout_s`."""
        ...


@dataclass(frozen=True, slots=True)
class Readiness:
    """Each part's state and what they make of the process."""

    checks: dict[str, bool]
    status: Status

    @property
    def serving(self) -> bool:
        """True when the process should receive traffic (ready or degraded)."""
        return self.status is not Status.NOT_READY


@dataclass(slots=True)
class HealthProbe:
    """What a process can be asked about; parts it does not run are left out of the answer."""

    engine: AsyncEngine
    pool: PoolState | None = None
    bot_connected: Callable[[], bool] | None = None
    broker: Reachable | None = None
    grace_s: float = GRACE_S
    clock: Callable[[], float] = time.monotonic
    _last_up: dict[Check, float] = field(default_factory=dict, init=False, repr=False)

    async def readiness(self) -> Readiness:
        """Check every part now; see the module's docstring for what fails readiness."""
        checks = {Check.DATABASE: await self._database()}
        if self.broker is not None:
            checks[Check.REDIS] = await self.broker.reachable(CHECK_TIMEOUT_S)
        if self.pool is not None:
            checks[Check.DOCKER] = await self.pool.engine_reachable(CHECK_TIMEOUT_S)
            checks[Check.SANDBOX_POOL] = self.pool.ready_count > 0
        if self.bot_connected is not None:
            checks[Check.DISCORD] = self.bot_connected()
        return Readiness({str(name): up for name, up in checks.items()}, self._status(checks))

    def _status(self, checks: dict[Check, bool]) -> Status:
        now = self.clock()
        for name, up in checks.items():
            if up:
                self._last_up[name] = now
        down = [name for name, up in checks.items() if not up]
        if not down:
            return Status.READY
        if all(name in INTERMITTENT and self._within_grace(name, now) for name in down):
            return Status.DEGRADED
        return Status.NOT_READY

    def _within_grace(self, name: Check, now: float) -> bool:
        last_up = self._last_up.get(name)
        return last_up is not None and now - last_up <= self.grace_s

    async def _database(self) -> bool:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_S), self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError, TimeoutError):
            return False
        return True
