"""Reading the submission ledger back: gradings nobody will complete any more.

The rule that keeps a verdict from flipping: a submission is completed only while it is still
pending. Completing it (`core.submissions.award.finish_submission`) and sweeping it here are the
same compare-and-set (`… WHERE id = :id AND verdict = 'pending'`), so whichever comes first
decides the verdict and the other changes nothing: a sweep never overwrites a grade, and a late
grade never overwrites a sweep (nor awards anything).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Submission, User, utcnow
from core.verdicts import SubmissionVerdict

INTERRUPTED_MESSAGE = (
    "Grading was interrupted (the service restarted or lost the grading); nothing was counted. "
    "Please submit again."
)


async def fail_interrupted(
    session: AsyncSession, older_than: datetime | None = None
) -> list[Submission]:
    """Mark submissions still pending as interrupted (a sandbox error); return those marked.

    Without `older_than`, every pending submission: the start-up path of a process that grades
    in its own pool, when none of its gradings can be in flight. With it, only those created
    before `older_than`: the periodic sweep of queue mode, for gradings no process is waiting
    for any more. Either way a crash mid-grade is reported instead of being lost.

    The candidates are read without locks (no range locks that would hold up new submissions).
    Then their learners' rows are locked, in one order, before the submissions, as completing
    locks the learner's row first: a completion of one of them waits for the sweep or the sweep
    for it, not each for the other. Those still pending are then locked by id and updated, so a
    grading completed in the meantime is left as it is. On MariaDB a deadlock with other
    submissions remains possible; it rolls the whole sweep back (see
    `core.submissions.transactions`).
    """
    candidates = select(Submission.id, Submission.user_id).where(
        Submission.verdict == SubmissionVerdict.PENDING
    )
    if older_than is not None:
        candidates = candidates.where(Submission.created_at < older_than)
    found = (await session.execute(candidates)).all()
    if not found:
        return []
    learners = sorted({row.user_id for row in found})
    await session.execute(
        select(User.id).where(User.id.in_(learners)).order_by(User.id).with_for_update()
    )
    ids = [row.id for row in found]
    still_pending = list(
        await session.scalars(
            select(Submission)
            .where(Submission.id.in_(ids), Submission.verdict == SubmissionVerdict.PENDING)
            .order_by(Submission.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    if still_pending:
        await session.execute(
            update(Submission)
            .where(
                Submission.id.in_([s.id for s in still_pending]),
                Submission.verdict == SubmissionVerdict.PENDING,
            )
            .values(
                verdict=SubmissionVerdict.SANDBOX_ERROR,
                message=INTERRUPTED_MESSAGE,
                finished_at=utcnow(),
            )
        )
    return still_pending
