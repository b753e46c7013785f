"""Fixtures for the submission flow: content loaded into a real database and a settable clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.content.files import read_content
from core.content.loader import load_content
from core.db import session_scope
from tests.support.clocks import Clock
from tests.support.content_factories import achievement_document, task_document, write_json
from tests.support.databases import Sessions


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
