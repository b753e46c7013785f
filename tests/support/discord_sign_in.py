"""Signing in with Discord against the fake Discord: site settings, the consent page, a thread.

The site's settings point its OAuth2 client at a running fake (`pointed_at_fake`, or
`sign_in_settings` for a site's environment); a visitor follows the site's redirect to the
fake's consent page, presses a button and is sent back to the site's callback
(`through_discord`). For browser tests, whose thread belongs to Playwright,
`fake_in_thread` runs the fake on an event loop of its own.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from urllib.parse import urljoin

import httpx
from pydantic import SecretStr

from core.settings import Settings
from tests.fakediscord import FakeDiscord
from tests.support.site_client import local

CALLBACK_PATH = "/auth/discord/callback"
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)">')


def sign_in_settings(fake: FakeDiscord, site_url: str) -> dict[str, str]:
    """The settings (by name) that point a site at `site_url` to `fake` for signing in with
    Discord; the fake's application then accepts the site's callback."""
    redirect_url = site_url.rstrip("/") + CALLBACK_PATH
    fake.oauth.redirect_uris.add(redirect_url)
    return {
        "discord_client_id": fake.oauth.client_id,
        "discord_client_secret": fake.oauth.client_secret,
        "discord_redirect_url": redirect_url,
        "discord_oauth_url": fake.base_url,
    }


def pointed_at_fake(settings: Settings, fake: FakeDiscord) -> Settings:
    """`settings` with signing in with Discord configured against `fake`."""
    values = sign_in_settings(fake, settings.site_url)
    secret = SecretStr(values.pop("discord_client_secret"))
    return settings.model_copy(update={**values, "discord_client_secret": secret})


async def consent(location: str, decision: str = "authorize") -> str:
    """Open Discord's consent page at `location`, press `decision` ("authorize" or "cancel");
    the address Discord sends the browser back to."""
    async with httpx.AsyncClient() as browser:
        page = await browser.get(location)
        if page.status_code == 302:  # approved at once
            return page.headers["location"]
        assert page.status_code == 200, page.text
        action = _FORM_ACTION.search(page.text)
        assert action, f"no consent form on the page:\n{page.text}"
        fields = {name: unescape(value) for name, value in _HIDDEN.findall(page.text)}
        back = await browser.post(
            urljoin(location, action.group(1)), data={**fields, "decision": decision}
        )
        assert back.status_code == 302, back.text
        return back.headers["location"]


async def through_discord(
    client: httpx.AsyncClient, started: httpx.Response, decision: str = "authorize"
) -> httpx.Response:
    """Follow the site's redirect to Discord, answer, and bring Discord's answer to the site."""
    assert started.status_code == 303, started.text
    return await client.get(local(await consent(started.headers["location"], decision)))


async def _started() -> FakeDiscord:
    fake = FakeDiscord()
    await fake.start()
    return fake


@contextmanager
def fake_in_thread() -> Iterator[FakeDiscord]:
    """A running fake Discord served from a thread with its own event loop."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="fake-discord", daemon=True)
    thread.start()
    fake = asyncio.run_coroutine_threadsafe(_started(), loop).result(timeout=10)
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
