"""The database benchmark fills an empty database consistently and times every query."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from core.db_benchmark import DatabaseNotEmpty, fill, measure
from core.leaderboards import Period, top
from core.models import Solve, Submission, User
from tests.support.databases import Sessions

pytestmark = pytest.mark.usefixtures("content")
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


async def test_fill_then_measure(sessions: Sessions) -> None:
    report = await fill(sessions, learners=200, submissions=3000, now=NOW)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 200
        assert await session.scalar(select(func.count()).select_from(Submission)) == 3000
        assert await session.scalar(select(func.count()).select_from(Solve)) == report.solves
        points = await session.scalar(select(func.sum(User.points)))
        awarded = await session.scalar(select(func.sum(Solve.points_awarded)))
        assert points == awarded
        leader = (await top(session, Period.ALL, now=NOW))[0]
        assert leader.value == await session.scalar(select(func.max(User.points)))
    timings = await measure(sessions, report, NOW, rounds=5)
    assert set(timings) == {
        "profile",
        "top_all_global",
        "top_all_server",
        "top_week_global",
        "top_week_server",
        "record_accepted",
    }
    assert all(value > 0 for value in timings.values())
    with pytest.raises(DatabaseNotEmpty, match="empty database"):
        await fill(sessions, learners=10, submissions=10, now=NOW)
