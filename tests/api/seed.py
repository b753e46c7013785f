"""Rows the site's pages show: tasks, and a Discord learner with some history."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Achievement, User, UserAchievement, utcnow
from tests.core.accounts.rows import add_solve, add_task


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
