"""Errors are pages (or JSON on the API), never tracebacks."""

from __future__ import annotations

import httpx


async def test_errors_are_pages_not_tracebacks(client: httpx.AsyncClient) -> None:
    missing = await client.get("/no/such/page")
    assert missing.status_code == 404
    assert "Page not found" in missing.text
    bad = await client.get("/tasks?page=abc")
    assert bad.status_code == 422
    assert "Traceback" not in bad.text
    assert "Query parameter &#39;page&#39; must be a whole number from 1 to 10000." in bad.text
    api_missing = await client.get("/api/tasks/no-such-task")
    assert api_missing.status_code == 404
    assert api_missing.json() == {"detail": "There is no published task with this slug."}
