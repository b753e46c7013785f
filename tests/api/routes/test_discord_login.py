"""Signing in with Discord (OAuth2 with state and PKCE) against the fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from core.accounts.passwords import hash_password
from core.models import User, utcnow
from core.settings import Settings
from tests.fakediscord import FakeDiscord, FakeUser, running_fake
from tests.support.discord_sign_in import consent, pointed_at_fake, through_discord
from tests.support.mailbox import Mailbox, link_in
from tests.support.rows import discord_learner
from tests.support.site_client import PASSWORD, csrf_token, local, log_in, submit


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """The fake Discord the site signs in with."""
    async with running_fake() as running:
        yield running


@pytest.fixture
def site_settings(site_settings: Settings, fake: FakeDiscord) -> Settings:
    """The test site, with signing in with Discord pointed at the fake."""
    return pointed_at_fake(site_settings, fake)


@pytest.fixture
def ada(fake: FakeDiscord) -> FakeUser:
    """The Discord user signed in to Discord in the visitor's browser."""
    fake.oauth.signed_in = fake.add_user("ada_on_discord")
    return fake.oauth.signed_in


def other_browser(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Another browser on the same site."""
    return httpx.AsyncClient(transport=client._transport, base_url="http://testserver")


async def sign_in(client: httpx.AsyncClient, decision: str = "authorize") -> httpx.Response:
    """Press "Sign in with Discord", answer Discord's page; the site's answer."""
    return await through_discord(client, await client.get("/auth/discord"), decision)


async def add_discord(client: httpx.AsyncClient) -> httpx.Response:
    """Follow "Link with Discord" on /account and approve on Discord; the site's answer."""
    return await through_discord(client, await client.get("/auth/discord/link"))


async def email_account(
    db: async_sessionmaker[AsyncSession],
    email: str = "ada@example.com",
    discord_id: int | None = None,
) -> int:
    """A site account with an email and `PASSWORD` (optionally linked to Discord); its id."""
    async with db() as session:
        user = User(
            email=email,
            display_name=email.partition("@")[0].title(),
            password_hash=await hash_password(PASSWORD),
            password_changed_at=utcnow(),
            discord_id=discord_id,
            discord_name=None if discord_id is None else "old_name",
            profile_public=True,
        )
        session.add(user)
        await session.commit()
        return user.id


async def users(db: async_sessionmaker[AsyncSession]) -> list[User]:
    """Every user row, oldest first."""
    async with db() as session:
        return list((await session.scalars(select(User).order_by(User.id))).all())


async def test_a_new_discord_user_gets_an_account_in_one_step(
    client: httpx.AsyncClient,
    fake: FakeDiscord,
    ada: FakeUser,
    db: async_sessionmaker[AsyncSession],
) -> None:
    login = await client.get("/login")
    assert 'href="/auth/discord"' in login.text
    assert "Sign in with Discord" in login.text
    started = await client.get("/auth/discord")
    query = parse_qs(urlsplit(started.headers["location"]).query)
    assert query["scope"] == ["identify"]
    assert query["code_challenge_method"] == ["S256"]
    done = await through_discord(client, started)
    assert done.status_code == 303
    assert done.headers["location"] == "/u/ada_on_discord"
    account = await client.get("/account")
    assert "Signed in with Discord as ada_on_discord." in account.text
    assert "Linked to <strong" in account.text
    assert "Remove Discord" not in account.text  # it is the only way in
    [user] = await users(db)
    assert (user.discord_id, user.discord_name, user.email) == (ada.id, "ada_on_discord", None)
    await submit(client, "/account", "/logout", {})
    assert (await client.get("/account")).status_code == 303
    assert (await sign_in(client)).status_code == 303
    assert [u.id for u in await users(db)] == [user.id]
    fake.assert_no_violations()


async def test_a_learner_known_from_the_bot_signs_in_to_their_history(
    client: httpx.AsyncClient, fake: FakeDiscord, db: async_sessionmaker[AsyncSession]
) -> None:
    ada = fake.add_user("ada_renamed")
    fake.oauth.signed_in = ada
    learner_id = await discord_learner(db, discord_id=ada.id, name="ada_on_discord", solves=3)
    assert (await sign_in(client)).status_code == 303
    [user] = await users(db)
    assert user.id == learner_id
    assert user.discord_name == "ada_renamed"
    assert user.points == 30
    assert "ada_renamed" in (await client.get("/account")).text


async def test_a_discord_account_linked_to_an_email_account_signs_in_to_it(
    client: httpx.AsyncClient,
    fake: FakeDiscord,
    ada: FakeUser,
    db: async_sessionmaker[AsyncSession],
) -> None:
    account_id = await email_account(db, discord_id=ada.id)
    done = await sign_in(client, "authorize")
    assert done.headers["location"] == "/u/Ada"
    [user] = await users(db)
    assert (user.id, user.discord_name) == (account_id, "ada_on_discord")
    assert "Remove Discord" in (await client.get("/account")).text


async def test_signing_in_goes_back_to_the_page_asked_for(
    client: httpx.AsyncClient, ada: FakeUser
) -> None:
    login = await client.get("/login?next=/leaderboard")
    assert 'href="/auth/discord?next=/leaderboard"' in login.text
    done = await through_discord(client, await client.get("/auth/discord?next=/leaderboard"))
    assert done.headers["location"] == "/leaderboard"
    outside = await through_discord(client, await client.get("/auth/discord?next=//evil.test"))
    assert outside.headers["location"] == "/u/ada_on_discord"


async def test_an_email_account_adds_discord_and_removes_it(
    client: httpx.AsyncClient,
    fake: FakeDiscord,
    ada: FakeUser,
    db: async_sessionmaker[AsyncSession],
) -> None:
    account_id = await email_account(db)
    await log_in(client, "ada@example.com")
    assert "Link with Discord" in (await client.get("/account")).text
    done = await add_discord(client)
    assert done.headers["location"] == "/account"
    page = await client.get("/account")
    assert "Your Discord account ada_on_discord is now linked." in page.text
    [user] = await users(db)
    assert (user.id, user.discord_id) == (account_id, ada.id)
    removed = await submit(client, "/account", "/account/unlink", {})
    assert removed.status_code == 303
    [user] = await users(db)
    assert user.discord_id is None
    fake.assert_no_violations()


async def test_adding_discord_brings_the_history_from_the_bot(
    client: httpx.AsyncClient,
    fake: FakeDiscord,
    ada: FakeUser,
    db: async_sessionmaker[AsyncSession],
) -> None:
    learner_id = await discord_learner(db, discord_id=ada.id, solves=2)
    await email_account(db)
    await log_in(client, "ada@example.com")
    assert (await add_discord(client)).status_code == 303
    [user] = await users(db)
    assert (user.id, user.email, user.points) == (learner_id, "ada@example.com", 20)
    assert "ada@example.com" in (await client.get("/account")).text


async def test_discord_of_another_site_account_is_refused_and_nothing_merges(
    client: httpx.AsyncClient,
    fake: FakeDiscord,
    ada: FakeUser,
    db: async_sessionmaker[AsyncSession],
) -> None:
    await email_account(db, "first@example.com", discord_id=ada.id)
    second = await email_account(db, "second@example.com")
    await log_in(client, "second@example.com")
    refused = await add_discord(client)
    assert refused.status_code == 409
    assert "already linked to another site account" in refused.text
    rows = {user.id: user.discord_id for user in await users(db)}
    assert rows[second] is None
    assert list(rows.values()).count(ada.id) == 1


async def test_discord_stays_when_it_is_the_only_way_to_sign_in(
    client: httpx.AsyncClient, ada: FakeUser, db: async_sessionmaker[AsyncSession]
) -> None:
    await sign_in(client)
    opened = await client.get("/account")
    refused = await client.post("/account/unlink", data={"csrf_token": csrf_token(opened.text)})
    assert refused.status_code == 409
    assert "Add an email address and a password first" in refused.text
    [user] = await users(db)
    assert user.discord_id == ada.id


async def test_adding_discord_needs_an_account_signed_in_until_discord_answers(
    client: httpx.AsyncClient, ada: FakeUser, db: async_sessionmaker[AsyncSession]
) -> None:
    logged_out = await client.get("/auth/discord/link")
    assert logged_out.status_code == 303
    assert logged_out.headers["location"].startswith("/login?")
    await email_account(db)
    await log_in(client, "ada@example.com")
    started = await client.get("/auth/discord/link")
    elsewhere = other_browser(client)
    await log_in(elsewhere, "ada@example.com")
    await submit(elsewhere, "/account", "/logout", {})  # ends every session of the account
    callback = await consent(started.headers["location"])
    refused = await client.get(local(callback))
    assert refused.status_code == 403
    assert "signed out before Discord answered" in refused.text
    assert all(user.discord_id is None for user in await users(db))


async def test_a_forged_state_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, ada: FakeUser, db: async_sessionmaker[AsyncSession]
) -> None:
    started = await client.get("/auth/discord")
    callback = parse_qs(urlsplit(await consent(started.headers["location"])).query)
    forged = urlencode({"code": callback["code"][0], "state": "not-the-state"})
    refused = await client.get(f"/auth/discord/callback?{forged}")
    assert refused.status_code == 400
    assert "does not belong to the sign-in started in this browser" in refused.text
    assert await users(db) == []
    assert (await client.get("/account")).status_code == 303


async def test_an_answer_without_a_sign_in_started_here_is_refused(
    client: httpx.AsyncClient, ada: FakeUser, db: async_sessionmaker[AsyncSession]
) -> None:
    victim = other_browser(client)
    started = await client.get("/auth/discord")
    callback = await consent(started.headers["location"])
    refused = await victim.get(local(callback))  # a link forged by someone else
    assert refused.status_code == 400
    assert "expired or was started in another browser" in refused.text
    assert await users(db) == []


async def test_a_replayed_answer_is_refused(
    client: httpx.AsyncClient, ada: FakeUser, db: async_sessionmaker[AsyncSession]
) -> None:
    started = await client.get("/auth/discord")
    cookies_then = httpx.Cookies(client.cookies)
    callback = local(await consent(started.headers["location"]))
    assert (await client.get(callback)).status_code == 303
    replay = other_browser(client)
    replay.cookies = cookies_then
    refused = await replay.get(callback)
    assert refused.status_code == 400
    assert "already used" in refused.text
    assert len(await users(db)) == 1


async def test_a_code_from_another_sign_in_fails_the_pkce_check(
    client: httpx.AsyncClient,
    fake: FakeDiscord,
    ada: FakeUser,
    db: async_sessionmaker[AsyncSession],
) -> None:
    attacker = other_browser(client)
    theirs = parse_qs(
        urlsplit(await consent((await attacker.get("/auth/discord")).headers["location"])).query
    )
    mine = parse_qs(
        urlsplit(await consent((await client.get("/auth/discord")).headers["location"])).query
    )
    injected = urlencode({"code": theirs["code"][0], "state": mine["state"][0]})
    refused = await client.get(f"/auth/discord/callback?{injected}")
    assert refused.status_code == 502
    assert "Discord refused to confirm who you are" in refused.text
    assert 'invalid_grant: Invalid "code_verifier" in request.' in fake.oauth.refusals
    assert await users(db) == []


async def test_cancelling_on_discord_changes_nothing(
    client: httpx.AsyncClient, ada: FakeUser, db: async_sessionmaker[AsyncSession]
) -> None:
    refused = await sign_in(client, "cancel")
    assert refused.status_code == 400
    assert "You did not authorize codestreak on Discord" in refused.text
    assert await users(db) == []


async def test_discord_out_of_reach_is_a_friendly_page(
    client: httpx.AsyncClient,
    fake: FakeDiscord,
    ada: FakeUser,
    db: async_sessionmaker[AsyncSession],
) -> None:
    callback = await consent((await client.get("/auth/discord")).headers["location"])
    await fake.stop()
    refused = await client.get(local(callback))
    assert refused.status_code == 502
    assert "Discord could not be reached" in refused.text
    assert await users(db) == []


async def test_without_settings_there_is_no_button_and_no_route(
    site_settings: Settings, db: async_sessionmaker[AsyncSession]
) -> None:
    plain = site_settings.model_copy(
        update={"discord_client_id": None, "discord_client_secret": None}
    )
    app = create_app(plain)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client,
    ):
        assert "Sign in with Discord" not in (await client.get("/login")).text
        assert "Sign in with Discord" not in (await client.get("/register")).text
        for path in ("/auth/discord", "/auth/discord/callback?state=a&code=b"):
            assert (await client.get(path)).status_code == 404
        await email_account(db)
        await log_in(client, "ada@example.com")
        account = await client.get("/account")
        assert "Link with Discord" not in account.text
        assert "/link" in account.text


async def test_a_discord_only_account_adds_an_email_and_a_password(
    client: httpx.AsyncClient,
    mailbox: Mailbox,
    ada: FakeUser,
    db: async_sessionmaker[AsyncSession],
) -> None:
    await sign_in(client)
    page = await client.get("/account")
    assert "Add an email and a password" in page.text
    assert "Change password" not in page.text
    fields = {"new_email": "ada@example.com", "new_password": PASSWORD}
    mismatch = await submit(
        client, "/account", "/account/email-and-password", {**fields, "password_confirm": "x"}
    )
    assert mismatch.status_code == 400
    assert "The two passwords are not the same." in mismatch.text
    done = await submit(
        client,
        "/account",
        "/account/email-and-password",
        {**fields, "password_confirm": PASSWORD},
    )
    assert done.status_code == 303
    assert "Your password is set" in (await client.get("/account")).text
    link = local(link_in(mailbox.wait_for("ada@example.com", "Confirm your new email")))
    await submit(client, link, "/account/email/confirm", {"token": link.partition("token=")[2]})
    [user] = await users(db)
    assert (user.email, user.discord_id) == ("ada@example.com", ada.id)
    assert "Remove Discord" in (await client.get("/account")).text
    elsewhere = other_browser(client)
    assert (await log_in(elsewhere, "ada@example.com")).status_code == 303


async def test_a_discord_only_account_is_deleted_without_a_password(
    client: httpx.AsyncClient, ada: FakeUser, db: async_sessionmaker[AsyncSession]
) -> None:
    await sign_in(client)
    form = await client.get("/account/delete")
    assert "Your password" not in form.text
    deleted = await submit(client, "/account/delete", "/account/delete", {"confirm": "yes"})
    assert deleted.status_code == 303
    assert await users(db) == []
