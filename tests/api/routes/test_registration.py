"""Registering: an emailed link, then a display name and password; nothing reveals who exists."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import User
from tests.support.mailbox import Mailbox, body_of, link_in
from tests.support.site_client import PASSWORD, local, register, submit


async def test_registering_creates_an_account_and_logs_in(
    client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    done = await register(client, mailbox, "Ada@Example.com ", "Ada Lovelace")
    assert done.status_code == 303
    assert done.headers["location"] == "/u/Ada%20Lovelace"
    account = await client.get("/account")
    assert account.status_code == 200
    assert "ada@example.com" in account.text
    async with db() as session:
        user = await session.scalar(select(User).where(User.email == "ada@example.com"))
        assert user is not None
        assert user.display_name == "Ada Lovelace"
        assert user.password_hash is not None
        assert user.password_hash.startswith("$argon2")
        assert PASSWORD not in user.password_hash


async def test_a_registered_address_gets_the_same_answer_and_a_note_by_email(
    client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    stranger = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    fresh = await submit(stranger, "/register", "/register", {"email": "new@example.com"})
    again = await submit(stranger, "/register", "/register", {"email": "ada@example.com"})
    assert fresh.status_code == again.status_code == 200
    assert fresh.text.replace("new@example.com", "X") == again.text.replace("ada@example.com", "X")
    note = mailbox.wait_for("ada@example.com", "already have")
    assert "/forgot-password" in body_of(note)
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1


async def test_a_bad_email_is_explained_and_kept(client: httpx.AsyncClient) -> None:
    answer = await submit(client, "/register", "/register", {"email": "not-an-email"})
    assert answer.status_code == 400
    assert "Enter a valid email address" in answer.text
    assert 'value="not-an-email"' in answer.text


async def test_a_weak_password_is_refused_and_the_link_still_works(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await submit(client, "/register", "/register", {"email": "ada@example.com"})
    confirm = local(link_in(mailbox.wait_for("ada@example.com", "Confirm")))
    token = confirm.partition("token=")[2]
    fields = {
        "token": token,
        "display_name": "Ada",
        "password": "short",
        "password_confirm": "short",
    }
    weak = await submit(client, confirm, "/register/confirm", fields)
    assert weak.status_code == 400
    assert "at least 10 characters" in weak.text
    assert 'value="Ada"' in weak.text
    mismatch = await submit(client, confirm, "/register/confirm", {**fields, "password": PASSWORD})
    assert "not the same" in mismatch.text
    fixed = await submit(
        client,
        confirm,
        "/register/confirm",
        {**fields, "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert fixed.status_code == 303


async def test_a_display_name_is_unique(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    taken = await register(other, mailbox, "grace@example.com", "ADA")
    assert taken.status_code == 400
    assert "display name is taken" in taken.text


async def test_a_registration_link_works_once(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    confirm = local(link_in(mailbox.wait_for("ada@example.com", "Confirm")))
    again = await client.get(confirm)
    assert again.status_code == 410
    assert "already used" in again.text


async def test_a_forged_registration_link_is_refused(client: httpx.AsyncClient) -> None:
    answer = await client.get("/register/confirm?token=forged")
    assert answer.status_code == 400
    assert "not valid" in answer.text
