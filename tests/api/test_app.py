"""The app's protective headers, and secure cookies over HTTPS."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI

from api.app import create_app
from core.settings import Settings


async def test_pages_carry_protective_headers(client: httpx.AsyncClient) -> None:
    answer = await client.get("/login")
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


async def test_cookies_are_secure_when_the_site_runs_over_https(
    site_settings: Settings, tmp_path: Path
) -> None:
    settings = site_settings.model_copy(update={"site_url": "https://codestreak.example"})
    app: FastAPI = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as browser:
            answer = await browser.get("/login")
    cookies = answer.headers.get_list("set-cookie")
    assert cookies
    assert all("secure" in c.lower() and "httponly" in c.lower() for c in cookies)
