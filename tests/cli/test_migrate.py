"""`codestreak migrate`: the one-shot step replicas wait for."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from core import migrations
from core.db import open_database
from core.models import Task
from tests.support.cli_runner import codestreak

DATA = Path(__file__).parents[2] / "data"


async def _state(url: str) -> tuple[str | None, int]:
    async with open_database(url) as database:
        revision = await migrations.current_revision(database.engine)
        async with database.sessions() as session:
            tasks = await session.scalar(select(func.count()).select_from(Task))
        return revision, int(tasks or 0)


def test_migrate_brings_a_fresh_database_to_the_head_with_the_content_and_can_run_again(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/fresh.db"
    env = {"DATABASE_URL": url, "CONTENT_DIR": str(DATA)}
    for _ in range(2):
        result = codestreak("migrate", cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "is migrated and its content loaded" in result.stdout
    revision, tasks = asyncio.run(_state(url))
    assert revision == migrations.head_revision(url)
    assert tasks == len(list((DATA / "tasks").glob("*.json")))


def test_migrate_says_which_database_it_cannot_reach_and_exits_1(tmp_path: Path) -> None:
    url = "mysql+aiomysql://codestreak:secret-password@127.0.0.1:1/codestreak"
    result = codestreak("migrate", cwd=tmp_path, env={"DATABASE_URL": url})
    assert result.returncode == 1
    assert "Cannot reach mysql+aiomysql://codestreak:***@127.0.0.1:1/codestreak" in result.stderr
    assert "secret-password" not in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
