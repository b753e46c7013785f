"""The leaderboard pages."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import User
from tests.support.rows import discord_learner


async def test_the_leaderboards(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await discord_learner(db, name="ada_on_discord", solves=2)
    async with db() as session:
        session.add(User(display_name="grace", discord_id=99, points=5))
        await session.commit()
    all_time = await client.get("/leaderboard")
    assert all_time.status_code == 200
    assert all_time.text.index("ada_on_discord") < all_time.text.index("grace")
    assert 'href="/u/ada_on_discord"' in all_time.text
    for period in ("week", "streak"):
        answer = await client.get(f"/leaderboard?period={period}")
        assert answer.status_code == 200
        assert 'aria-current="page"' in answer.text
    assert (await client.get("/leaderboard?period=ever")).status_code == 400
