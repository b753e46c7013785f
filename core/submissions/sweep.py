"""The periodic sweep of queue mode: submissions no process is waiting for any more.

With its own sandbox pool a process knows at start that none of its gradings is in flight and
sweeps every pending submission then. Through the queue, other processes' gradings are in
flight at any time: a submission counts as interrupted only once it has been pending longer
than anyone waits for it (its job's expiry plus the longest run), for example because the
process that submitted it was killed. The sweep is the same compare-and-set as completing
(see `core.submissions.ledger`), so it never flips a verdict a grader is completing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.grading import sandbox_config
from core.models import utcnow
from core.settings import Settings
from core.submissions.ledger import fail_interrupted
from core.submissions.transactions import retried

logger = logging.getLogger(__name__)

#: how often queue mode looks for interrupted gradings
SWEEP_EVERY = timedelta(minutes=1)
#: allowance for the clocks of the processes that submit and sweep disagreeing
CLOCK_SKEW = timedelta(minutes=1)


def pending_max_age(settings: Settings) -> timedelta:
    """How long a submission may stay pending in queue mode before it counts as interrupted:
    the queue's job expiry plus the longest run, with an allowance for clock skew."""
    longest_run_s = sandbox_config(settings).longest_run_s
    return timedelta(seconds=settings.queue_job_expiry_s + longest_run_s) + CLOCK_SKEW


class PendingSweeper:
    """Marks submissions pending longer than `max_age` as interrupted, every `every`."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        max_age: timedelta,
        every: timedelta = SWEEP_EVERY,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.max_age = max_age
        self.every = every
        self.clock = clock
        self._task: asyncio.Task[None] | None = None

    async def sweep(self) -> list[int]:
        """One pass: mark what has been pending too long as interrupted; the ids marked."""
        older_than = self.clock() - self.max_age

        async def sweep(session: AsyncSession) -> list[int]:
            return [s.id for s in await fail_interrupted(session, older_than)]

        swept = await retried(self.sessions, sweep)
        if swept:
            logger.warning(
                "%d submission(s) pending for more than %s marked as interrupted: %s",
                len(swept),
                self.max_age,
                ", ".join(map(str, swept)),
            )
        return swept

    async def run(self) -> None:
        """Sweep now and then every `every`, until cancelled; a failed pass (the database
        unreachable, a deadlock) is logged and the next one tries again."""
        while True:
            try:
                await self.sweep()
            except Exception as exc:  # any driver error: the next pass retries
                logger.warning("sweeping interrupted gradings failed: %s", exc)
            await asyncio.sleep(self.every.total_seconds())

    def start(self) -> None:
        """Run the sweep in the background of the running event loop."""
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="pending-sweeper")

    async def stop(self) -> None:
        """Stop the background sweep (a pass in progress is rolled back)."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            if not task.cancelled():  # the caller itself is being cancelled
                raise
