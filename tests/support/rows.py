"""Rows that tests start from: learners, tasks, solves, and a Discord learner with a history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.models import Achievement, Solve, Submission, Task, User, UserAchievement, utcnow
from tests.support.content_factories import task_document


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


async def discord_learner(
    sessions: async_sessionmaker[AsyncSession],
    discord_id: int = 4242,
    name: str = "ada_on_discord",
    solves: int = 3,
) -> int:
    """A learner known only from Discord, who solved `solves` tasks on recent days; their id."""
    async with sessions() as session:
        learner = User(discord_id=discord_id, discord_name=name, display_name=name)
        badge = Achievement(
            slug="first-solve",
            name="First Solve",
            description="Solve your first task.",
            emoji="🎯",
            condition={"solved": 1},
            role=None,
            content_hash="seed",
        )
        session.add_all([learner, badge])
        await session.flush()
        now = utcnow()
        for i in range(solves):
            task = await add_task(session, f"seed-task-{i}", title=f"Seed task {i}")
            await add_solve(session, learner, task, now - timedelta(days=3 * (solves - i)), 10)
        session.add(
            UserAchievement(
                user_id=learner.id, achievement_id=badge.id, unlocked_at=now - timedelta(days=9)
            )
        )
        learner.current_streak = learner.best_streak = 1
        learner.last_active_day = now.date() - timedelta(days=3)
        await session.commit()
        return learner.id


async def make_public(
    sessions: async_sessionmaker[AsyncSession], user_id: int, public: bool = True
) -> None:
    """Opt the learner in to (or out of) a public profile."""
    async with sessions() as session:
        learner = await session.get(User, user_id)
        assert learner is not None
        learner.profile_public = public
        await session.commit()
