"""Fixtures of the features' end-to-end tests that restart bots on one server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.daily_world import World, daily_world


@pytest.fixture
async def world(engine: AsyncEngine, database_url: str, tmp_path: Path) -> AsyncIterator[World]:
    """A server posting its daily challenge at 09:00 UTC in #challenges, on each backend."""
    async with daily_world(engine, database_url, tmp_path) as built:
        yield built
