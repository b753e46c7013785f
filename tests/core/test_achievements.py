"""Achievement conditions, and new achievements awarded to who already earned them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.achievements import LearnerStats, is_met
from core.content.files import read_content
from core.content.loader import load_content
from core.db import session_scope
from core.models import Task, UserAchievement
from tests.support.clocks import Clock
from tests.support.content_factories import achievement_document, write_json
from tests.support.databases import Sessions
from tests.support.learners import make_learner, solve

pytestmark = pytest.mark.usefixtures("content")


def test_conditions() -> None:
    stats = LearnerStats(
        points=120, solved=6, best_streak=7, solved_by_difficulty={"hard": 2}, first_try=3, daily=1
    )
    assert is_met({"points": 120}, stats)
    assert not is_met({"points": 121}, stats)
    assert is_met({"streak": 7}, stats)
    assert is_met({"solved_difficulty": {"hard": 2}}, stats)
    assert not is_met({"solved_difficulty": {"hard": 2, "medium": 1}}, stats)
    assert is_met({"all": [{"first_try": 3}, {"daily": 1}]}, stats)
    assert not is_met({"all": [{"first_try": 3}, {"solved": 7}]}, stats)


async def test_new_achievement_is_awarded_retroactively(
    sessions: Sessions, clock: Clock, tmp_path: Path
) -> None:
    veteran = await make_learner(sessions, 1)
    newcomer = await make_learner(sessions, 2)
    for slug in ("easy-one", "easy-two"):
        await solve(sessions, clock, veteran, slug)
    folder = tmp_path / "more"
    write_json(
        folder / "achievements" / "two-down.json",
        achievement_document("two-down", condition={"solved": 2}),
    )
    async with session_scope(sessions) as session:
        result = await load_content(session, read_content(folder))
    assert result.awarded == 1
    async with sessions() as session:
        owners = await session.scalars(
            select(UserAchievement.user_id)
            .join_from(
                UserAchievement, Task, Task.id == UserAchievement.achievement_id, isouter=True
            )
            .where(UserAchievement.user_id.in_([veteran, newcomer]))
        )
        assert newcomer not in set(owners)
    async with session_scope(sessions) as session:
        again = await load_content(session, read_content(folder))
    assert again.awarded == 0
