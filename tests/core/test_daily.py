"""The daily challenge's choice: stable for a day, rotating without repeats, race-safe."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.daily import NoPublishedTasks, daily_for
from core.db import session_scope
from core.models import DailyPost, Task
from tests.support.databases import Sessions
from tests.support.learners import GUILD

pytestmark = pytest.mark.usefixtures("content")


async def test_daily_choice_is_stable_and_rotates_without_repeats(sessions: Sessions) -> None:
    async with session_scope(sessions) as session:
        first = await daily_for(session, GUILD, date(2026, 5, 1))
        again = await daily_for(session, GUILD, date(2026, 5, 1))
        assert again.task_id == first.task_id
        published = await session.scalar(
            select(func.count()).select_from(Task).where(Task.published.is_(True))
        )
        chosen = [first.task_id] + [
            (await daily_for(session, GUILD, date(2026, 5, 1) + timedelta(days=i))).task_id
            for i in range(1, 2 * int(published or 0))
        ]
    assert published == 3
    assert len(set(chosen[:3])) == 3
    assert len(set(chosen[3:])) == 3
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(DailyPost)) == 6


async def test_daily_choice_is_race_safe(sessions: Sessions) -> None:
    async def ask() -> int:
        async with session_scope(sessions) as session:
            return (await daily_for(session, GUILD, date(2026, 6, 1))).task_id

    assert len(set(await asyncio.gather(*(ask() for _ in range(8))))) == 1


async def test_no_published_task_says_so(sessions: Sessions) -> None:
    async with session_scope(sessions) as session:
        for task in await session.scalars(select(Task)):
            task.published = False
    async with session_scope(sessions) as session:
        with pytest.raises(NoPublishedTasks, match="publish"):
            await daily_for(session, GUILD, date(2026, 5, 1))
