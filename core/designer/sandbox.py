"""The designer's sandbox: the one the site was given, or a small private pool started on demand."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from core.grading import Grader, sandbox_config
from core.settings import Settings
from sandbox import Comparison, GradeResult, RunLimits, SandboxPool, TestCase

logger = logging.getLogger(__name__)

POOL_SIZE = 2


class OnDemandGrader:
    """A private sandbox pool, started when the first program is graded and closed with the site.

    Its own pool name keeps it apart from the bot's pool and from other site processes on the
    same Docker engine. A failed start is retried on the next grade.
    """

    def __init__(self, settings: Settings) -> None:
        self._config = sandbox_config(settings).model_copy(
            update={
                "pool_name": f"{settings.sandbox_pool_name}-designer-"
                f"{socket.gethostname()}-{os.getpid()}",
                "pool_size": POOL_SIZE,
                "max_concurrent": POOL_SIZE,
            }
        )
        self._pool: SandboxPool | None = None
        self._lock = asyncio.Lock()

    async def _started(self) -> SandboxPool:
        async with self._lock:
            if self._pool is None:
                pool = SandboxPool(self._config)
                await pool.start()
                logger.info("started the designer's sandbox pool %s", self._config.pool_name)
                self._pool = pool
            return self._pool

    async def grade(
        self,
        code: str,
        cases: Sequence[TestCase],
        comparison: Comparison | None = None,
        limits: RunLimits | None = None,
        *,
        job_id: str | None = None,
    ) -> GradeResult:
        """Grade in the private pool, starting it first if needed."""
        return await (await self._started()).grade(code, cases, comparison, limits, job_id=job_id)

    async def close(self) -> None:
        """Remove the pool's containers, if it was ever started."""
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


@asynccontextmanager
async def designer_grader(settings: Settings, given: Grader | None) -> AsyncIterator[Grader]:
    """The grader the designer uses for the life of a site: `given`, or an on-demand pool."""
    if given is not None:
        yield given
        return
    grader = OnDemandGrader(settings)
    try:
        yield grader
    finally:
        await grader.close()
