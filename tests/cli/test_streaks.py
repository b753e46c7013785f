"""`codestreak streaks recompute` stores streaks derived from the solves and daily challenges."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from sqlalchemy import select

from core.db import create_sessionmaker
from core.models import User
from tests.support.cli_runner import codestreak
from tests.support.databases import engine_for


async def _learner_with_streak(url: str) -> None:
    """A learner whose stored streak no solve supports."""
    async for engine in engine_for(url):
        async with create_sessionmaker(engine)() as session:
            streak = {"current_streak": 4, "best_streak": 9, "last_active_day": date(2026, 5, 4)}
            session.add(User(display_name="Ada", **streak))
            await session.commit()


async def _streaks(url: str) -> tuple[int, int]:
    async for engine in engine_for(url):
        async with create_sessionmaker(engine)() as session:
            row = (await session.execute(select(User.current_streak, User.best_streak))).one()
            return row.current_streak, row.best_streak
    raise AssertionError("unreachable")


def test_recompute_stores_the_derived_streaks_and_reports_failures(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/site.db"
    env = {"DATABASE_URL": url}
    assert codestreak("db", "upgrade", cwd=tmp_path, env=env).returncode == 0
    asyncio.run(_learner_with_streak(url))

    done = codestreak("streaks", "recompute", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "1 learner(s) changed" in done.stdout
    assert asyncio.run(_streaks(url)) == (0, 0)
    again = codestreak("streaks", "recompute", cwd=tmp_path, env=env)
    assert "0 learner(s) changed" in again.stdout

    empty = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/empty.db"}
    failed = codestreak("streaks", "recompute", cwd=tmp_path, env=empty)
    assert failed.returncode == 1
    assert "codestreak db upgrade" in failed.stderr
    assert "Traceback" not in failed.stderr
