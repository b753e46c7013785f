"""Reading the submission ledger back: gradings a restart interrupted."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Submission, utcnow
from core.verdicts import SubmissionVerdict

INTERRUPTED_MESSAGE = (
    "Grading was interrupted when the service restarted; nothing was counted. Please submit again."
)


async def fail_interrupted(session: AsyncSession) -> list[Submission]:
    """Mark every submission still pending as a sandbox error; return them.

    Called at start-up, when no grading can be in flight, so that a crash mid-grade is reported
    to the learner instead of being silently lost.
    """
    pending = list(
        await session.scalars(
            select(Submission).where(Submission.verdict == SubmissionVerdict.PENDING)
        )
    )
    if pending:
        await session.execute(
            update(Submission)
            .where(Submission.id.in_([s.id for s in pending]))
            .values(
                verdict=SubmissionVerdict.SANDBOX_ERROR,
                message=INTERRUPTED_MESSAGE,
                finished_at=utcnow(),
            )
        )
    return pending
