"""Profiles, leaderboards, task pages and the JSON API."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Submission, User
from tests.support.mailbox import Mailbox
from tests.support.rows import add_task, discord_learner
from tests.support.site_client import register


async def test_the_front_page(client: httpx.AsyncClient) -> None:
    answer = await client.get("/")
    assert answer.status_code == 200
    assert "Practise Python every day" in answer.text
    assert (await client.get("/static/style.css")).status_code == 200


async def test_a_profile_shows_totals_achievements_and_both_charts(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await discord_learner(db, name="ada_on_discord", solves=3)
    page = await client.get("/u/ADA_on_discord")
    assert page.status_code == 200
    text = page.text
    assert "ada_on_discord" in text
    assert '<span class="value">30</span>' in text
    assert '<span class="value">#1</span>' in text
    assert "easy: 3" in text
    assert "First Solve" in text
    assert 'aria-label="Points over time: 30 points' in text
    assert 'aria-label="Daily activity: 3 submissions in the last year"' in text
    assert "Your recent submissions" not in text


async def test_recent_code_is_shown_to_its_owner_only(
    client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    async with db() as session:
        task = await add_task(session, "echo-twice")
        user = await session.scalar(select(User).where(User.display_name == "Ada"))
        assert user is not None
        session.add(
            Submission(
                user_id=user.id,
                task_id=task.id,
                source="web",
                code="print('<secret sauce>')\n",
                verdict="wrong_answer",
            )
        )
        await session.commit()
    own = await client.get("/u/Ada")
    assert "Your recent submissions" in own.text
    assert "print(&#39;&lt;secret sauce&gt;&#39;)" in own.text
    stranger = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    other = await stranger.get("/u/Ada")
    assert other.status_code == 200
    assert "secret sauce" not in other.text


async def test_an_unknown_profile_is_a_404(client: httpx.AsyncClient) -> None:
    answer = await client.get("/u/nobody")
    assert answer.status_code == 404
    assert "There is no learner with that name." in answer.text


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


async def test_the_json_api(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await discord_learner(db, name="ada_on_discord", solves=2)
    profile = (await client.get("/api/profiles/ada_on_discord")).json()
    assert profile["points"] == 20
    assert profile["rank"] == 1
    assert [p["points"] for p in profile["points_over_time"]] == [10, 20]
    assert profile["achievements"][0]["slug"] == "first-solve"
    board = (await client.get("/api/leaderboard?period=all")).json()
    assert board["entries"][0] == {"rank": 1, "display_name": "ada_on_discord", "value": 20}
    listing = (await client.get("/api/tasks?q=seed")).json()
    assert listing["total"] == 2
    task = (await client.get("/api/tasks/seed-task-0")).json()
    assert task["solve_count"] == 1
    assert "solution" not in task
    assert (await client.get("/api/profiles/nobody")).status_code == 404
    assert (await client.get("/api/tasks?limit=1000")).status_code == 422


async def test_the_api_is_documented(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/openapi.json")).json()
    assert {"/api/profiles/{name}", "/api/leaderboard", "/api/tasks", "/api/tasks/{slug}"} <= set(
        schema["paths"]
    )
    assert "/login" not in schema["paths"]
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
