"""Fixtures for the submission flow: content loaded into a real database and some learners."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.content.files import read_content
from core.content.loader import load_content
from core.db import session_scope
from core.learners import learner_for_discord
from tests.core.content.factories import (
    achievement_document,
    task_document,
    write_json,
)

GUILD = 1000
Sessions = async_sessionmaker[AsyncSession]


class Clock:
    """A settable clock for the flow (UTC)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    """A clock starting on Monday 2026-05-04 at noon UTC."""
    return Clock()


@pytest.fixture
async def content(sessions: Sessions, tmp_path: Path) -> None:
    """Three tasks of each difficulty-ish, one unpublished, and a few achievements."""
    folder = tmp_path / "data"
    for slug, difficulty in [("easy-one", "easy"), ("easy-two", "easy"), ("hard-one", "hard")]:
        write_json(folder / "tasks" / f"{slug}.json", task_document(slug, difficulty=difficulty))
    write_json(folder / "tasks" / "secret.json", task_document("secret", published=False))
    for slug, condition, role in [
        ("first-solve", {"solved": 1}, "Solver"),
        ("hard-hitter", {"solved_difficulty": {"hard": 1}}, None),
        ("fifty-points", {"points": 50}, "Fifty"),
    ]:
        write_json(
            folder / "achievements" / f"{slug}.json",
            achievement_document(slug, condition=condition, role=role),
        )
    async with session_scope(sessions) as session:
        await load_content(session, read_content(folder))


async def make_learner(sessions: Sessions, discord_id: int, guild_id: int | None = GUILD) -> int:
    """Create a Discord learner seen in a server; return the user id."""
    async with session_scope(sessions) as session:
        user = await learner_for_discord(session, discord_id, f"learner{discord_id}", guild_id)
        return user.id
