"""The account page: password and email changes, data export and deletion."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import User
from tests.support.mailbox import Mailbox, link_in
from tests.support.site_client import PASSWORD, local, log_in, register, submit

NEW_PASSWORD = "a brand new passphrase"


def visitor(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Another browser on the same site."""
    return httpx.AsyncClient(transport=client._transport, base_url="http://testserver")


async def change_password(
    client: httpx.AsyncClient, current: str, new: str, confirm: str | None = None
) -> httpx.Response:
    """Post the change-password form of the account page."""
    return await submit(
        client,
        "/account",
        "/account/password",
        {"current_password": current, "new_password": new, "password_confirm": confirm or new},
    )


async def test_changing_the_password_ends_other_sessions_only(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    laptop = visitor(client)
    await log_in(laptop, "ada@example.com")
    assert (await laptop.get("/account")).status_code == 200
    changed = await change_password(client, PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 303
    assert "Your password was changed" in (await client.get("/account")).text
    assert (await laptop.get("/account")).status_code == 303
    assert (await log_in(visitor(client), "ada@example.com", NEW_PASSWORD)).status_code == 303


async def test_a_password_change_needs_the_current_password_and_a_strong_one(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    wrong = await change_password(client, "not my password", NEW_PASSWORD)
    assert wrong.status_code == 400
    assert "current password is not correct" in wrong.text
    weak = await change_password(client, PASSWORD, "aaaaaaaaaaaa")
    assert "different characters" in weak.text
    mismatch = await change_password(client, PASSWORD, NEW_PASSWORD, "something else entirely")
    assert "not the same" in mismatch.text
    assert (await log_in(visitor(client), "ada@example.com", PASSWORD)).status_code == 303


async def test_changing_the_email_through_a_link_sent_to_the_new_address(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    asked = await submit(
        client,
        "/account",
        "/account/email",
        {"new_email": "ada@lovelace.example", "password": PASSWORD},
    )
    assert asked.status_code == 303
    link = local(link_in(mailbox.wait_for("ada@lovelace.example", "Confirm your new email")))
    page = await client.get(link)
    assert "ada@lovelace.example" in page.text
    done = await submit(
        client, link, "/account/email/confirm", {"token": link.partition("token=")[2]}
    )
    assert done.status_code == 303
    assert "ada@lovelace.example" in (await client.get("/account")).text
    assert (await log_in(visitor(client), "ada@lovelace.example")).status_code == 303
    assert (await client.get(link)).status_code == 410


async def test_an_address_in_use_is_not_revealed_to_the_requester(
    client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    await register(client, mailbox, "grace@example.com", "Grace")
    ada = visitor(client)
    await register(ada, mailbox, "ada@example.com", "Ada")
    taken = await submit(
        ada, "/account", "/account/email", {"new_email": "grace@example.com", "password": PASSWORD}
    )
    free = await submit(
        ada, "/account", "/account/email", {"new_email": "free@example.com", "password": PASSWORD}
    )
    assert taken.status_code == free.status_code == 303
    assert mailbox.wait_for("grace@example.com", "tried to use your address")
    async with db() as session:
        emails = set(await session.scalars(select(User.email)))
    assert emails == {"grace@example.com", "ada@example.com"}


async def test_export_downloads_my_data_as_json(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    answer = await client.get("/account/export")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert "attachment" in answer.headers["content-disposition"]
    data = json.loads(answer.text)
    assert data["account"]["email"] == "ada@example.com"
    assert "password_hash" not in data["account"]
    assert (await visitor(client).get("/account/export")).status_code == 303


async def test_deleting_the_account_needs_confirmation_and_password(
    client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    page = await client.get("/account/delete")
    assert "cannot be undone" in page.text
    unconfirmed = await submit(client, "/account/delete", "/account/delete", {"password": PASSWORD})
    assert unconfirmed.status_code == 400
    assert "Tick the box" in unconfirmed.text
    wrong = await submit(
        client, "/account/delete", "/account/delete", {"password": "nope", "confirm": "yes"}
    )
    assert "password is not correct" in wrong.text
    deleted = await submit(
        client, "/account/delete", "/account/delete", {"password": PASSWORD, "confirm": "yes"}
    )
    assert deleted.status_code == 303
    assert "were deleted" in (await client.get("/")).text
    assert (await client.get("/account")).status_code == 303
    async with db() as session:
        assert await session.scalar(select(User)) is None
