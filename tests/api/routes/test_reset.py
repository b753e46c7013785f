"""Forgotten passwords: an emailed link, valid for an hour, usable once."""

from __future__ import annotations

import httpx
import pytest

from tests.support.clocks import advance_token_clock
from tests.support.mailbox import Mailbox, link_in
from tests.support.site_client import (
    PASSWORD,
    csrf_token,
    local,
    log_in,
    post_form,
    register,
    submit,
)

NEW_PASSWORD = "a brand new passphrase"


def visitor(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Another browser on the same site."""
    return httpx.AsyncClient(transport=client._transport, base_url="http://testserver")


async def reset_link(client: httpx.AsyncClient, mailbox: Mailbox, email: str) -> str:
    """Ask for a reset and return the path of the link that arrives by email."""
    mailbox.messages.clear()
    answer = await submit(client, "/forgot-password", "/forgot-password", {"email": email})
    assert answer.status_code == 200
    return local(link_in(mailbox.wait_for(email, "Reset your")))


async def follow(client: httpx.AsyncClient, link: str, password: str) -> httpx.Response:
    """Post a new `password` through a reset link."""
    return await post_form(
        client,
        "/reset-password",
        {
            "token": link.partition("token=")[2],
            "new_password": password,
            "password_confirm": password,
        },
    )


@pytest.fixture
async def ada(client: httpx.AsyncClient, mailbox: Mailbox) -> httpx.AsyncClient:
    """A registered learner, Ada, and a fresh visitor who forgot her password."""
    await register(client, mailbox, "ada@example.com", "Ada")
    return visitor(client)


async def test_a_reset_through_the_emailed_link(ada: httpx.AsyncClient, mailbox: Mailbox) -> None:
    link = await reset_link(ada, mailbox, "ada@example.com")
    assert link.startswith("/reset-password?token=")
    done = await follow(ada, link, NEW_PASSWORD)
    assert done.status_code == 303
    assert done.headers["location"] == "/login"
    assert "Your password was changed" in (await ada.get("/login")).text
    assert (await log_in(ada, "ada@example.com", PASSWORD)).status_code == 400
    assert (await log_in(ada, "ada@example.com", NEW_PASSWORD)).status_code == 303


async def test_a_reset_link_works_once(ada: httpx.AsyncClient, mailbox: Mailbox) -> None:
    link = await reset_link(ada, mailbox, "ada@example.com")
    assert (await follow(ada, link, NEW_PASSWORD)).status_code == 303
    reopened = await ada.get(link)
    assert reopened.status_code == 410
    assert "already used" in reopened.text
    reused = await post_form(
        ada,
        "/reset-password",
        {
            "token": link.partition("token=")[2],
            "new_password": "yet another passphrase",
            "password_confirm": "yet another passphrase",
        },
    )
    assert reused.status_code == 410
    assert (await log_in(ada, "ada@example.com", NEW_PASSWORD)).status_code == 303


async def test_a_reset_link_expires_after_an_hour(
    ada: httpx.AsyncClient, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = await reset_link(ada, mailbox, "ada@example.com")
    advance_token_clock(monkeypatch, 3600 - 30)
    assert (await ada.get(link)).status_code == 200
    advance_token_clock(monkeypatch, 3600 + 5)
    expired = await ada.get(link)
    assert expired.status_code == 410
    assert "expired" in expired.text
    assert (await follow(ada, link, NEW_PASSWORD)).status_code == 410


async def test_a_reset_link_dies_when_the_password_changes(
    client: httpx.AsyncClient, ada: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    link = await reset_link(ada, mailbox, "ada@example.com")
    changed = await submit(
        client,
        "/account",
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 303
    assert (await ada.get(link)).status_code == 410
    assert (await follow(ada, link, "attacker passphrase 1")).status_code == 410
    assert (await log_in(ada, "ada@example.com", NEW_PASSWORD)).status_code == 303


async def test_only_the_newest_password_counts_for_older_links(
    ada: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    first = await reset_link(ada, mailbox, "ada@example.com")
    second = await reset_link(ada, mailbox, "ada@example.com")
    assert (await follow(ada, second, NEW_PASSWORD)).status_code == 303
    assert (await follow(ada, first, "attacker passphrase 1")).status_code == 410


async def test_a_weak_new_password_keeps_the_link_usable(
    ada: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    link = await reset_link(ada, mailbox, "ada@example.com")
    weak = await follow(ada, link, "short")
    assert weak.status_code == 400
    assert "at least 10 characters" in weak.text
    assert (await follow(ada, link, NEW_PASSWORD)).status_code == 303


async def test_known_and_unknown_emails_get_identical_answers(
    ada: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    opened = await ada.get("/forgot-password")

    token = csrf_token(opened.text)
    known = await ada.post(
        "/forgot-password", data={"email": "ada@example.com", "csrf_token": token}
    )
    unknown = await ada.post(
        "/forgot-password", data={"email": "nobody@example.com", "csrf_token": token}
    )
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert sorted(known.headers.keys()) == sorted(unknown.headers.keys())
    assert mailbox.to("ada@example.com")
    assert not mailbox.to("nobody@example.com")
