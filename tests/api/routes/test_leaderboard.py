"""The leaderboard pages."""

from __future__ import annotations

import re

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.routes.leaderboard import SIZE
from core.models import User
from tests.support.rows import discord_learner
from tests.support.site_client import follow_next_links


async def test_the_leaderboards(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    ada = await discord_learner(db, name="ada_on_discord", solves=2)
    async with db() as session:
        session.add(User(display_name="grace", discord_id=99, points=5, profile_public=True))
        await session.commit()
    all_time = await client.get("/leaderboard")
    assert all_time.status_code == 200
    assert all_time.text.index(f"<td>Learner {ada}</td>") < all_time.text.index("grace")
    assert "ada_on_discord" not in all_time.text  # known only from Discord: not published
    assert 'href="/u/ada_on_discord"' not in all_time.text
    assert '<a href="/u/grace">grace</a>' in all_time.text
    for period in ("week", "streak"):
        answer = await client.get(f"/leaderboard?period={period}")
        assert answer.status_code == 200
        assert 'aria-current="page"' in answer.text
    refused = await client.get("/leaderboard?period=ever")
    assert refused.status_code == 422
    assert "Query parameter &#39;period&#39;" in refused.text


async def test_every_page_of_a_board_is_reached_by_its_links(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    learners = SIZE + 3
    async with db() as session:
        for number in range(learners):
            session.add(
                User(display_name=f"learner-{number:03}", points=1000 - number, profile_public=True)
            )
        await session.commit()
    pages = await follow_next_links(client, "/leaderboard")
    assert len(pages) == 2
    shown = [name for page in pages for name in re.findall(r"learner-\d{3}", page)]
    assert sorted(set(shown)) == [f"learner-{number:03}" for number in range(learners)]
    assert "learner-052" in pages[1]


async def test_a_page_number_out_of_range_is_a_friendly_422(client: httpx.AsyncClient) -> None:
    for address in ("/leaderboard?page=0", "/leaderboard?page=99999999999999999999"):
        refused = await client.get(address)
        assert refused.status_code == 422
        assert "Query parameter &#39;page&#39; must be a whole number from 1 to 10000." in (
            refused.text
        )
        assert "Traceback" not in refused.text
