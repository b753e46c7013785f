"""Public answers carry a strong ETag and Cache-Control, and a matching If-None-Match gets 304."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.caching import entity_tag
from tests.support.public_data import seed_public_data


async def test_a_known_version_is_not_sent_again(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await seed_public_data(db)
    first = await client.get("/api/v1/tasks/hello-world")
    tag = first.headers["ETag"]
    assert tag == entity_tag(first.content)
    assert first.headers["Cache-Control"] == "public, max-age=60"
    for named in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        again = await client.get("/api/v1/tasks/hello-world", headers={"If-None-Match": named})
        assert again.status_code == 304, named
        assert again.content == b""
        assert again.headers["ETag"] == tag
    changed = await client.get("/api/v1/tasks/hello-world", headers={"If-None-Match": '"old"'})
    assert changed.status_code == 200
    assert changed.content == first.content


async def test_the_tag_follows_the_content(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    before = await client.get("/api/v1/leaderboard")
    await seed_public_data(db)
    after = await client.get(
        "/api/v1/leaderboard", headers={"If-None-Match": before.headers["ETag"]}
    )
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    badge = await client.get("/api/v1/u/ada/badge.svg")
    assert badge.headers["Cache-Control"] == "public, max-age=300"
