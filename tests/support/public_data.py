"""Public data for tests of the JSON API: learners with public profiles and solves on several
days, and tasks."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.leaderboards import recount_scores
from core.models import User, utcnow
from tests.support.rows import add_solve, add_task, discord_learner

#: learners on the boards, best first: (name, solves of 10 points each)
LEARNERS = [("ada", 4), ("grace", 3), ("linus", 2), ("guido", 1)]
#: the examples the OpenAPI document gives exist here
EXAMPLE_LEARNER = "ada"
EXAMPLE_TASK = "hello-world"


async def seed_public_data(sessions: async_sessionmaker[AsyncSession]) -> None:
    """A first learner known from Discord with an achievement and a streak, more learners who
    solved fewer tasks (the boards then have several entries), and a handful of tasks."""
    ada_id = await discord_learner(sessions, name=EXAMPLE_LEARNER, solves=3)
    async with sessions() as session:
        tasks = [await add_task(session, EXAMPLE_TASK, title="Hello, world")]
        for i in range(3):
            tasks.append(await add_task(session, f"more-task-{i}", title=f"More task {i}"))
        ada = await session.get(User, ada_id)
        assert ada is not None
        ada.profile_public = True
        now = utcnow()
        await add_solve(session, ada, tasks[0], now - timedelta(hours=2), 10)
        for number, (name, solved) in enumerate(LEARNERS[1:], start=2):
            learner = User(
                display_name=name, discord_id=5000 + number, discord_name=name, profile_public=True
            )
            session.add(learner)
            await session.flush()
            for day, task in enumerate(tasks[:solved]):
                await add_solve(session, learner, task, now - timedelta(days=day), 10)
        await recount_scores(session)
        await session.commit()
