"""The front page and the static files."""

from __future__ import annotations

import httpx


async def test_the_front_page(client: httpx.AsyncClient) -> None:
    answer = await client.get("/")
    assert answer.status_code == 200
    assert "Practise Python every day" in answer.text
    assert (await client.get("/static/style.css")).status_code == 200
