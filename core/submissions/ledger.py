"""Reading the submission ledger back: streak recompute and interrupted gradings."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.learners import learner_timezone
from core.models import GuildSettings, Submission, utcnow
from core.streaks import StreakState, local_day, recompute
from core.timezones import DEFAULT_ZONE
from core.verdicts import SubmissionVerdict

INTERRUPTED_MESSAGE = (
    "Grading was interrupted when the service restarted; nothing was counted. Please submit again."
)


async def recompute_streak(session: AsyncSession, user_id: int) -> StreakState:
    """A learner's streak derived from scratch from their accepted submissions."""
    rows = (
        await session.execute(
            select(Submission.created_at, Submission.guild_id)
            .where(Submission.user_id == user_id, Submission.verdict == SubmissionVerdict.ACCEPTED)
            .order_by(Submission.created_at, Submission.id)
        )
    ).all()
    settings = await session.execute(select(GuildSettings.guild_id, GuildSettings.timezone))
    zones = dict(settings.all())
    fallback = await learner_timezone(session, user_id)
    return recompute(
        local_day(moment, zones.get(guild_id, DEFAULT_ZONE) if guild_id else fallback)
        for moment, guild_id in rows
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
