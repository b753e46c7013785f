"""The task list and task pages."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.support.rows import add_task


async def test_the_task_list_filters(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db() as session:
        await add_task(session, "sum-digits", title="Sum of digits", tags=["math"])
        await add_task(
            session, "word-graph", title="Word graph", difficulty="hard", tags=["graphs"]
        )
        await session.commit()
    everything = await client.get("/tasks")
    assert "Sum of digits" in everything.text
    assert "Word graph" in everything.text
    hard = await client.get("/tasks?difficulty=hard")
    assert "Word graph" in hard.text
    assert "Sum of digits" not in hard.text
    tagged = await client.get("/tasks?tag=math")
    assert "Sum of digits" in tagged.text
    assert "Word graph" not in tagged.text
    searched = await client.get("/tasks?q=graph")
    assert "Word graph" in searched.text
    assert "Sum of digits" not in searched.text
    assert "No task matches" in (await client.get("/tasks?q=nothing-like-this")).text


async def test_a_task_page_renders_markdown_safely(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    statement = "Print **twice**.\n\n<script>alert(1)</script> [x](javascript:alert(1))"
    async with db() as session:
        await add_task(session, "echo-twice", title="Echo <i>twice</i>", statement=statement)
        await session.commit()
    page = await client.get("/tasks/echo-twice")
    assert page.status_code == 200
    assert "<strong>twice</strong>" in page.text
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert 'href="javascript' not in page.text
    assert "Echo &lt;i&gt;twice&lt;/i&gt;" in page.text
    assert "<i>twice</i>" not in page.text
    assert "solved by 0 learners" in page.text
    assert "Plus 1 hidden test." in page.text
    assert "xyz" not in page.text  # the hidden test's input
    assert (await client.get("/tasks/no-such-task")).status_code == 404
