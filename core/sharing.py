"""Learners' consent to share their accepted solutions with others (the day's recap, the site).

The choice is made with each submission and stored on it (`Submission.shared`); the next code
box starts with the learner's latest choice.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Submission


async def shares_by_default(session: AsyncSession, user_id: int) -> bool:
    """The learner's latest choice (their latest submission's), False before any."""
    latest = await session.scalar(
        select(Submission.shared)
        .where(Submission.user_id == user_id)
        .order_by(Submission.created_at.desc(), Submission.id.desc())
        .limit(1)
    )
    return bool(latest)
