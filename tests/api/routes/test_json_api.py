"""The JSON API and its documentation."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.support.rows import discord_learner


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
