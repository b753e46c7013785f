"""Achievement conditions, and new achievements awarded to who already earned them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.achievements import LearnerStats, is_met, stats_for
from core.content.files import read_content
from core.content.loader import load_content
from core.db import session_scope
from core.models import Achievement, Task, UserAchievement
from tests.support.catalogue import GUILD_B, add_task
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


async def test_a_servers_own_tasks_count_toward_no_achievement(
    sessions: Sessions, clock: Clock, tmp_path: Path
) -> None:
    learner = await make_learner(sessions, 1, GUILD_B)
    for slug in ("b-one", "b-two"):
        await add_task(sessions, slug, GUILD_B, difficulty="hard")
        await solve(sessions, clock, learner, slug, guild=GUILD_B)
    await solve(sessions, clock, learner, "easy-one", guild=GUILD_B)
    async with sessions() as session:
        stats = (await stats_for(session, [learner]))[learner]
    assert stats == LearnerStats(
        points=10,
        solved=1,
        best_streak=1,
        solved_by_difficulty={"easy": 1, "medium": 0, "hard": 0},
        first_try=1,
    )
    folder = tmp_path / "more"
    for slug, condition in [
        ("two-down", {"solved": 2}),
        ("hard", {"solved_difficulty": {"hard": 1}}),
    ]:
        write_json(
            folder / "achievements" / f"{slug}.json",
            achievement_document(slug, condition=condition),
        )
    async with session_scope(sessions) as session:
        assert (await load_content(session, read_content(folder))).awarded == 0
    async with sessions() as session:
        unlocked = await session.scalars(
            select(Achievement.slug)
            .join(UserAchievement, UserAchievement.achievement_id == Achievement.id)
            .where(UserAchievement.user_id == learner)
        )
        assert list(unlocked) == ["first-solve"]  # unlocked by the shared task
