"""Driving the site in-process with httpx, as a browser without JavaScript would."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import unescape
from urllib.parse import urlsplit

import httpx

from api.app import create_app
from core.settings import Settings
from tests.support.mailbox import Mailbox, link_in

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]*)"')
PASSWORD = "correct horse battery"


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF_INPUT.search(html)
    assert found, "the page has no form with a CSRF token"
    return unescape(found.group(1))


def local(url: str) -> str:
    """The path and query of a link, to request it from the in-process site."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def submit(
    client: httpx.AsyncClient, page: str, action: str, fields: dict[str, str]
) -> httpx.Response:
    """Open `page`, then post `fields` with its CSRF token to `action`, like a visitor would."""
    opened = await client.get(page)
    assert opened.status_code < 400, opened.text
    return await client.post(action, data={**fields, "csrf_token": csrf_token(opened.text)})


async def post_form(
    client: httpx.AsyncClient, action: str, fields: dict[str, str]
) -> httpx.Response:
    """Post `fields` to `action` with a valid CSRF token taken from the login page."""
    return await client.post(
        action, data={**fields, "csrf_token": csrf_token((await client.get("/login")).text)}
    )


async def register(
    client: httpx.AsyncClient,
    mailbox: Mailbox,
    email: str,
    display_name: str,
    password: str = PASSWORD,
) -> httpx.Response:
    """Register through the emailed link and return the final answer (a redirect when done)."""
    answer = await submit(client, "/register", "/register", {"email": email})
    assert answer.status_code == 200, answer.text
    confirm = local(link_in(mailbox.wait_for(email, "Confirm your email")))
    return await submit(
        client,
        confirm,
        "/register/confirm",
        {
            "token": confirm.partition("token=")[2],
            "display_name": display_name,
            "password": password,
            "password_confirm": password,
        },
    )


async def log_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    """Post the login form."""
    return await submit(client, "/login", "/login", {"email": email, "password": password})


def visitor(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Another browser on the same site."""
    return httpx.AsyncClient(transport=client._transport, base_url="http://testserver")


@asynccontextmanager
async def visiting(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A visitor of a site running (lifespan entered) with `settings`, in-process."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


NEXT_LINK = re.compile(r'href="([^"]*)">Next →</a>')


async def follow_next_links(client: httpx.AsyncClient, address: str) -> list[str]:
    """Every page of a paged list from `address` on, as a visitor clicks "Next" until there is
    none; each must answer 200."""
    pages = []
    following: str | None = address
    while following is not None:
        answer = await client.get(following)
        assert answer.status_code == 200, following
        pages.append(answer.text)
        found = NEXT_LINK.search(answer.text)
        following = unescape(found.group(1)) if found else None
    return pages
