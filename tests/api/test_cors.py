"""Any site's scripts may read the public JSON API, and nothing else of the site."""

from __future__ import annotations

import httpx

ORIGIN = {"Origin": "https://someone.example"}


async def test_only_the_public_api_is_open_to_other_origins(client: httpx.AsyncClient) -> None:
    for address in ("/api/v1/leaderboard", "/api/v1/tasks/no-such-task", "/api/openapi.json"):
        answer = await client.get(address, headers=ORIGIN)
        assert answer.headers["Access-Control-Allow-Origin"] == "*", address
        assert "ETag" in answer.headers["Access-Control-Expose-Headers"]
    for address in ("/login", "/tasks", "/account", "/leaderboard"):
        answer = await client.get(address, headers=ORIGIN)
        assert "Access-Control-Allow-Origin" not in answer.headers, address
    form = await client.post("/login", headers=ORIGIN, data={"email": "a@b.c", "password": "x"})
    assert "Access-Control-Allow-Origin" not in form.headers
    assert (
        "Access-Control-Allow-Origin"
        not in (await client.post("/api/v1/tasks", headers=ORIGIN)).headers
    )
