"""Linking a Discord account through the bot's /link URL."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from core.accounts.discord_link import issue_link_token, issue_link_url
from core.models import User
from core.settings import PLACEHOLDER_SECRET, Settings
from tests.support.clocks import advance_token_clock
from tests.support.mailbox import Mailbox
from tests.support.rows import discord_learner
from tests.support.site_client import PASSWORD, local, log_in, post_form, register, submit


def visitor(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Another browser on the same site."""
    return httpx.AsyncClient(transport=client._transport, base_url="http://testserver")


def link_path(settings: Settings, discord_id: int = 4242, name: str = "ada_on_discord") -> str:
    """What the bot's /link command gives, as a path on the in-process site."""
    return local(issue_link_url(settings, discord_id, name))


async def confirm_link(client: httpx.AsyncClient, path: str) -> httpx.Response:
    """Open the link page and press the button."""
    return await submit(client, path, "/link", {"token": path.partition("token=")[2]})


async def test_a_logged_in_learner_links_with_one_click(
    client: httpx.AsyncClient,
    mailbox: Mailbox,
    site_settings: Settings,
    db: async_sessionmaker[AsyncSession],
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    path = link_path(site_settings)
    page = await client.get(path)
    assert "ada_on_discord" in page.text
    assert "Link this Discord account" in page.text
    done = await confirm_link(client, path)
    assert done.status_code == 303
    assert "ada_on_discord" in (await client.get("/account")).text
    async with db() as session:
        user = await session.scalar(select(User).where(User.email == "ada@example.com"))
        assert user is not None
        assert user.discord_id == 4242


async def test_a_visitor_logs_in_first_and_comes_back_to_link(
    client: httpx.AsyncClient, mailbox: Mailbox, site_settings: Settings
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    browser = visitor(client)
    path = link_path(site_settings)
    page = await browser.get(path)
    assert "Log in or create an account first" in page.text
    logged_in = await log_in(browser, "ada@example.com")
    assert logged_in.headers["location"] == "/link"
    waiting = await browser.get("/link")
    assert "Link this Discord account" in waiting.text
    done = await confirm_link(browser, "/link?" + path.partition("?")[2])
    assert done.status_code == 303
    assert "ada_on_discord" in (await browser.get("/account")).text


async def test_a_visitor_registers_first_and_comes_back_to_link(
    client: httpx.AsyncClient, mailbox: Mailbox, site_settings: Settings
) -> None:
    await client.get(link_path(site_settings))
    registered = await register(client, mailbox, "ada@example.com", "Ada")
    assert registered.headers["location"] == "/link"
    assert "ada_on_discord" in (await client.get("/link")).text


async def test_linking_merges_the_discord_history_into_the_account(
    client: httpx.AsyncClient,
    mailbox: Mailbox,
    site_settings: Settings,
    db: async_sessionmaker[AsyncSession],
) -> None:
    learner_id = await discord_learner(db, solves=3)
    await register(client, mailbox, "ada@example.com", "Ada")
    assert (await confirm_link(client, link_path(site_settings))).status_code == 303
    account = await client.get("/account")
    assert account.status_code == 200
    assert "ada_on_discord" in account.text
    async with db() as session:
        users = (await session.scalars(select(User))).all()
        assert [(u.id, u.email, u.points) for u in users] == [(learner_id, "ada@example.com", 30)]
    profile = await client.get("/u/Ada")
    assert ">30<" in profile.text
    assert (await log_in(visitor(client), "ada@example.com", PASSWORD)).status_code == 303


async def test_an_expired_link_says_to_run_link_again(
    client: httpx.AsyncClient,
    mailbox: Mailbox,
    site_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    path = link_path(site_settings)
    advance_token_clock(monkeypatch, 15 * 60 + 5)
    page = await client.get(path)
    assert page.status_code == 410
    assert "expired" in page.text
    assert "Run <code>/link</code> again" in page.text
    posted = await post_form(client, "/link", {"token": path.partition("token=")[2]})
    assert posted.status_code == 410


async def test_a_used_link_says_to_run_link_again(
    client: httpx.AsyncClient, mailbox: Mailbox, site_settings: Settings
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    path = link_path(site_settings)
    await confirm_link(client, path)
    again = await client.get(path)
    assert again.status_code == 410
    assert "Run <code>/link</code> again" in again.text


async def test_a_discord_account_links_to_one_site_account(
    client: httpx.AsyncClient, mailbox: Mailbox, site_settings: Settings
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    await confirm_link(client, link_path(site_settings))
    grace = visitor(client)
    await register(grace, mailbox, "grace@example.com", "Grace")
    path = link_path(site_settings)
    refused = await confirm_link(grace, path)
    assert refused.status_code == 409
    assert "already linked to another site account" in refused.text
    assert "Not linked" in (await grace.get("/account")).text
    # the refusal rolled back the spending of the link, so it works once Ada lets go
    await submit(client, "/account", "/account/unlink", {})
    assert (await confirm_link(grace, path)).status_code == 303


async def test_unlinking_from_the_account_page(
    client: httpx.AsyncClient, mailbox: Mailbox, site_settings: Settings
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    await confirm_link(client, link_path(site_settings))
    unlinked = await submit(client, "/account", "/account/unlink", {})
    assert unlinked.status_code == 303
    page = await client.get("/account")
    assert "Your Discord account was removed" in page.text
    assert "Not linked" in page.text
    relinked = await confirm_link(client, link_path(site_settings))
    assert relinked.status_code == 303


async def test_a_token_signed_with_the_old_placeholder_key_is_refused(
    site_settings: Settings, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    settings = Settings(**site_settings.model_dump(exclude={"secret_key"}))
    app = create_app(settings)
    forged = issue_link_token(PLACEHOLDER_SECRET, 4242, "a_moderator")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as browser:
            await register(browser, mailbox, "mallory@example.com", "Mallory")
            assert (await browser.get(f"/link?token={forged}")).status_code == 400
            refused = await submit(browser, "/account", "/link", {"token": forged})
    assert refused.status_code == 400
    assert "not valid" in refused.text
