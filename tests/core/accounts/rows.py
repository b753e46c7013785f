"""Rows that account tests start from: learners, tasks and solves."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.models import Solve, Submission, Task, User
from tests.core.content.factories import task_document


async def add_task(session: AsyncSession, slug: str, **changes: object) -> Task:
    """A published task loaded the way content files are."""
    await upsert_tasks(session, [TaskFile.model_validate(task_document(slug, **changes))])
    await session.flush()
    task = await session.scalar(select(Task).where(Task.slug == slug))
    assert task is not None
    return task


async def add_solve(
    session: AsyncSession, user: User, task: Task, when: datetime, points: int
) -> Solve:
    """An accepted submission and the solve it earned, with the user's points raised."""
    submission = Submission(
        user_id=user.id,
        task_id=task.id,
        source="discord",
        code="print(1)\n",
        verdict="accepted",
        created_at=when,
        finished_at=when,
    )
    session.add(submission)
    await session.flush()
    solve = Solve(
        user_id=user.id,
        task_id=task.id,
        submission_id=submission.id,
        points_awarded=points,
        solved_at=when,
    )
    session.add(solve)
    user.points += points
    await session.flush()
    return solve


def at(day: int, hour: int = 12) -> datetime:
    """A moment in March 2025."""
    return datetime(2025, 3, day, hour, tzinfo=UTC)


def on(day: int) -> date:
    """A day in March 2025."""
    return date(2025, 3, day)


async def reload(session: AsyncSession, user_id: int) -> User:
    """A user row read again from the database."""
    user = await session.get(User, user_id, populate_existing=True)
    assert user is not None
    return user
