"""The account page's profile forms: the display-name change and the public-profile opt-in."""

from __future__ import annotations

import httpx
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api import rate_limits
from core.models import User
from tests.support.mailbox import Mailbox
from tests.support.site_client import register, submit, visitor


async def rename(client: httpx.AsyncClient, name: str) -> httpx.Response:
    """Post the display-name form of the account page."""
    return await submit(client, "/account", "/account/display-name", {"display_name": name})


async def publish(client: httpx.AsyncClient, public: bool) -> httpx.Response:
    """Post the public-profile form, its box ticked or not."""
    fields = {"profile_public": "yes"} if public else {}
    return await submit(client, "/account", "/account/profile-visibility", fields)


async def test_the_account_page_explains_the_public_profile(
    client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    async with db() as session:
        ada = await session.scalar(select(User).where(User.display_name == "Ada"))
        assert ada is not None
    page = (await client.get("/account")).text
    assert "private: only you see it" in page
    assert f"“Learner {ada.id}” and nothing links to you." in page
    assert (
        "Learners known only from Discord have no public page until they sign in here and opt in."
        in page
    )


async def test_opting_in_and_out_of_the_public_profile(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    stranger = visitor(client)
    assert (await stranger.get("/u/Ada")).status_code == 404
    shown = await publish(client, True)
    assert (shown.status_code, shown.headers["location"]) == (303, "/account")
    page = (await client.get("/account")).text
    assert "Your profile is public now." in page
    assert "public: anyone with the link sees it" in page
    assert (await stranger.get("/u/Ada")).status_code == 200
    assert "Only you can see this page" not in (await client.get("/u/Ada")).text
    assert (await publish(client, False)).status_code == 303
    assert "Your profile is now visible to you only." in (await client.get("/account")).text
    assert (await stranger.get("/u/Ada")).status_code == 404


async def test_a_name_another_public_profile_shows_cannot_go_public(
    client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    async with db() as session:
        ada = await session.scalar(select(User).where(User.display_name == "Ada"))
        assert ada is not None
        ada.display_name = "grace"  # as a Discord sign-in may name an account
        session.add(User(display_name="Grace", discord_id=7, profile_public=True))
        await session.commit()
    refused = await publish(client, True)
    assert refused.status_code == 400
    assert "Another public profile already shows this name" in refused.text
    assert 'aria-describedby="profile_public-error"' in refused.text


async def test_changing_the_display_name_moves_the_profile(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    await publish(client, True)
    changed = await rename(client, "  Ada   Lovelace ")
    assert changed.status_code == 303
    assert "Your display name is now Ada Lovelace." in (await client.get("/account")).text
    assert (await visitor(client).get("/u/Ada%20Lovelace")).status_code == 200
    assert (await visitor(client).get("/u/Ada")).status_code == 404
    assert 'href="/u/Ada%20Lovelace">Profile</a>' in (await client.get("/tasks")).text


async def test_a_display_name_is_refused_as_registration_refuses_it(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "grace@example.com", "Grace")
    await register(visitor(client), mailbox, "ada@example.com", "Ada")
    for typed, message in [
        ("x", "Use 2 to 32 characters."),
        ("a/b", "Use letters, digits, spaces and punctuation except /."),
        ("Learner 7", "Names like “Learner 42” are kept for private profiles."),
        ("ADA", "This display name is taken; choose another one."),
    ]:
        refused = await rename(client, typed)
        assert refused.status_code == 400, typed
        assert str(escape(message)) in refused.text
        assert f'value="{escape(typed)}"' in refused.text  # what was typed stays in the field
    assert "Display name</dt><dd>Grace</dd>" in (await client.get("/account")).text


async def test_profile_forms_need_their_csrf_token_and_are_rate_limited(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    forged = await client.post("/account/display-name", data={"display_name": "Mallory"})
    assert forged.status_code == 403
    allowed = int(rate_limits.PROFILE_CHANGE_PER_ACCOUNT.split("/")[0])
    statuses = [(await rename(client, f"Ada {n}")).status_code for n in range(allowed + 1)]
    assert statuses == [303] * allowed + [429]
    assert (await publish(client, True)).status_code == 429
