"""The composition root: under `codestreak run` one database engine serves site and bot."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from cli.composition import grading_process
from cli.run import site_and_bot
from core.settings import Settings
from tests.support import databases

pytestmark = pytest.mark.docker

DATA = Path(__file__).parents[2] / "data"


def _settings(database_url: str, sandbox_image: str) -> Settings:
    return Settings(
        _env_file=None,
        database_url=database_url,
        content_dir=DATA,
        discord_token=SecretStr("a-token-the-bot-never-uses-here"),
        secret_key=SecretStr("composition-tests-secret-key-long-enough-to-sign"),
        sandbox_image=sandbox_image,
        sandbox_pool_name=f"composition-{os.getpid()}",
        sandbox_pool_size=1,
        sandbox_max_concurrent=1,
    )


async def test_site_and_bot_share_the_processs_one_engine(
    sqlite_template: Path, sandbox_image: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(databases.sqlite_copy(sqlite_template, tmp_path), sandbox_image)
    async with grading_process(settings) as parts:
        created: list[AsyncEngine] = []

        def counting(*args: Any, **kwargs: Any) -> AsyncEngine:
            created.append(create_async_engine(*args, **kwargs))
            return created[-1]

        monkeypatch.setattr("core.db.create_async_engine", counting)
        app, bot = site_and_bot(parts)
        assert bot is not None
        async with app.router.lifespan_context(app):
            site = app.state.site
            assert site.engine is parts.database.engine
            assert site.sessions is parts.database.sessions
            assert site.grader is parts.grader is parts.pool
            assert site.health.pool is parts.pool
            assert site.health.broker is None
        assert bot.services.sessions is parts.database.sessions
        assert bot.services.grader is parts.pool
        assert bot.services.submissions is parts.submissions
    assert created == []
