"""Sessions: logging out, password and email changes end them; they survive a restart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from api.app import create_app
from core.settings import Settings
from tests.support.mailbox import Mailbox, link_in
from tests.support.site_client import PASSWORD, local, log_in, register, submit


def visitor(client: httpx.AsyncClient, cookies: httpx.Cookies | None = None) -> httpx.AsyncClient:
    """Another browser on the same site, holding `cookies` if given."""
    return httpx.AsyncClient(
        transport=client._transport, base_url="http://testserver", cookies=cookies
    )


async def test_a_cookie_captured_before_logout_is_refused_after_it(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    captured = httpx.Cookies(client.cookies)
    assert (await visitor(client, captured).get("/account")).status_code == 200
    out = await submit(client, "/account", "/logout", {})
    assert out.status_code == 303
    assert (await visitor(client, captured).get("/account")).status_code == 303
    assert (await log_in(client, "ada@example.com")).status_code == 303
    assert (await client.get("/account")).status_code == 200


async def test_changing_the_email_logs_out_other_browsers(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    laptop = visitor(client)
    assert (await log_in(laptop, "ada@example.com")).status_code == 303
    new = {"new_email": "ada@lovelace.example", "password": PASSWORD}
    assert (await submit(client, "/account", "/account/email", new)).status_code == 303
    link = local(link_in(mailbox.wait_for("ada@lovelace.example", "Confirm your new email")))
    token = {"token": link.partition("token=")[2]}
    assert (await submit(client, link, "/account/email/confirm", token)).status_code == 303
    assert "ada@lovelace.example" in (await client.get("/account")).text
    assert (await laptop.get("/account")).status_code == 303


@asynccontextmanager
async def _site(settings: Settings, cookies: httpx.Cookies) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", cookies=cookies
        ) as browser:
            yield browser


async def test_without_a_configured_key_sessions_survive_a_restart(
    site_settings: Settings, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    unkeyed = site_settings.model_dump(exclude={"secret_key"})
    cookies = httpx.Cookies()
    async with _site(Settings(**unkeyed), cookies) as browser:
        await register(browser, mailbox, "ada@example.com", "Ada")
        cookies = browser.cookies
    async with _site(Settings(**unkeyed), cookies) as browser:
        assert (await browser.get("/account")).status_code == 200
