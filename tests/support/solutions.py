"""Learners with shared solutions of a task, stored directly, for the solutions tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from core.db import session_scope
from core.models import Solve, Submission, User, utcnow
from core.verdicts import SubmissionVerdict
from tests.support.databases import Sessions


async def add_person(sessions: Sessions, name: str, *, public: bool = True) -> int:
    """A learner named `name` (with a public profile unless told), without a site login; id."""
    async with session_scope(sessions) as session:
        user = User(display_name=name, profile_public=public)
        session.add(user)
        await session.flush()
        return user.id


async def add_solution(
    sessions: Sessions,
    user_id: int,
    task_id: int,
    code: str = "print(input() * 2)\n",
    *,
    shared: bool = True,
    verdict: SubmissionVerdict = SubmissionVerdict.ACCEPTED,
    minutes_ago: int = 60,
) -> int:
    """A graded submission of the task (accepted and shared unless told) and, when accepted,
    the learner's solve of it if they had none; the submission's id."""
    when: datetime = utcnow() - timedelta(minutes=minutes_ago)
    async with session_scope(sessions) as session:
        submission = Submission(
            user_id=user_id,
            task_id=task_id,
            source="web",
            code=code,
            verdict=verdict,
            shared=shared,
            created_at=when,
            finished_at=when,
        )
        session.add(submission)
        await session.flush()
        solved = await session.scalar(
            select(Solve.id).where(Solve.user_id == user_id, Solve.task_id == task_id)
        )
        if verdict is SubmissionVerdict.ACCEPTED and solved is None:
            session.add(
                Solve(
                    user_id=user_id,
                    task_id=task_id,
                    submission_id=submission.id,
                    points_awarded=10,
                    solved_at=when,
                )
            )
        return submission.id
