"""Pages show what visitors wrote escaped."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import User
from tests.support.mailbox import Mailbox
from tests.support.site_client import register


async def test_a_display_name_with_html_is_shown_escaped(
    client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    name = '<img src=x onerror="alert(1)">'
    done = await register(client, mailbox, "ada@example.com", name)
    assert done.status_code == 303
    for path in ("/account", done.headers["location"], "/leaderboard"):
        page = await client.get(path)
        assert page.status_code == 200, path
        assert "<img" not in page.text
    profile = await client.get(done.headers["location"])
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in profile.text
    async with db() as session:
        session.add(
            User(
                display_name="<b>bold</b>",
                discord_id=1,
                discord_name="<i>x</i>",
                points=5,
                profile_public=True,
            )
        )
        await session.commit()
    board = await client.get("/leaderboard")
    assert "&lt;b&gt;bold&lt;/b&gt;" in board.text
    assert "<b>bold</b>" not in board.text
