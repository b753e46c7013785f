"""The task list and task pages."""

from __future__ import annotations

import re

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.routes.tasks import PAGE_SIZE
from tests.support.rows import add_task
from tests.support.site_client import follow_next_links


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


async def test_every_page_of_the_task_list_is_reached_by_its_links(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    count = PAGE_SIZE * 2 + 1
    async with db() as session:
        for number in range(count):
            await add_task(session, f"paged-{number:03}", title=f"Paged {number:03}", tags=["loop"])
        await session.commit()
    pages = await follow_next_links(client, "/tasks?tag=loop&q=paged")
    assert len(pages) == 3
    shown = {title for page in pages for title in re.findall(r"Paged \d{3}", page)}
    assert shown == {f"Paged {number:03}" for number in range(count)}


async def test_out_of_range_filters_are_a_friendly_422(client: httpx.AsyncClient) -> None:
    expected = {
        "/tasks?page=10001": "Query parameter &#39;page&#39; must be a whole number from 1 to",
        "/tasks?q=" + "x" * 101: "Query parameter &#39;q&#39; must be at most 100 characters,",
        "/tasks?tag=Not%20a%20tag": "Query parameter &#39;tag&#39;",
        "/tasks/" + "a" * 65: "Path parameter &#39;slug&#39; must be 2 to 64 characters",
    }
    for address, message in expected.items():
        refused = await client.get(address)
        assert refused.status_code == 422, address
        assert message in refused.text, address
    assert (await client.get("/tasks?difficulty=&tag=&q=")).status_code == 200
