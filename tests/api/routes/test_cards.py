"""Preview cards: 1200×630 PNGs of public profiles and of tasks, cacheable, none for private
profiles."""

from __future__ import annotations

import io

import httpx
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.routes.cards import CARD_MAX_AGE_S
from core.models import User
from tests.support.rows import discord_learner, make_public


def png_size(body: bytes) -> tuple[int, int]:
    """The size of a PNG image (and proof that it is one)."""
    with Image.open(io.BytesIO(body)) as image:
        assert image.format == "PNG"
        return image.size


async def test_a_public_profile_and_a_task_have_a_large_png_card(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await make_public(db, await discord_learner(db, name="ada", solves=2))
    for address in ("/u/ADA/card.png", "/tasks/seed-task-0/card.png"):
        card = await client.get(address)
        assert card.status_code == 200, address
        assert card.headers["content-type"] == "image/png"
        assert card.headers["cache-control"] == f"public, max-age={CARD_MAX_AGE_S}"
        assert png_size(card.content) == (1200, 630)
        again = await client.get(address, headers={"If-None-Match": card.headers["etag"]})
        assert again.status_code == 304


async def test_a_card_changes_with_the_profile(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    learner = await discord_learner(db, name="ada", solves=1)
    await make_public(db, learner)
    before = await client.get("/u/ada/card.png")
    async with db() as session:
        ada = await session.get(User, learner)
        assert ada is not None
        ada.points += 5
        await session.commit()
    after = await client.get("/u/ada/card.png")
    assert before.headers["etag"] != after.headers["etag"]


async def test_no_card_for_a_private_profile_or_an_unknown_task(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await discord_learner(db, name="ada", solves=1)
    for address in ("/u/ada/card.png", "/u/nobody/card.png", "/tasks/no-such-task/card.png"):
        assert (await client.get(address)).status_code == 404, address
