"""Signing in with Discord in Chromium, on a real `codestreak web` and the fake Discord's page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core import migrations
from core.accounts.passwords import hash_password
from core.db import create_engine, create_sessionmaker
from core.models import User, utcnow
from tests.fakediscord import FakeDiscord, FakeUser
from tests.support import databases
from tests.support.discord_sign_in import fake_in_thread, sign_in_settings
from tests.support.mailbox import free_port
from tests.support.rows import discord_learner
from tests.support.serving import web_process
from tests.support.site_client import PASSWORD

pytestmark = pytest.mark.browser

#: a learner known from the bot, with eight solves
LEARNER_ID = 4242
SECRET_KEY = "browser-test-secret-that-is-long-enough-0123456789"
EMAIL = "grace@example.com"


@dataclass(frozen=True)
class Web:
    """A running `codestreak web` and the fake Discord it signs in with."""

    url: str
    fake: FakeDiscord


async def _prepare(url: str, *, used: bool) -> None:
    """Bring the database to the schema (emptied when `used`), with the learner known from the
    bot and an email account."""
    await migrations.upgrade_async(url)
    engine = create_engine(url)
    try:
        if used:
            await databases.empty_all_tables(engine)
        sessions = create_sessionmaker(engine)
        await discord_learner(sessions, discord_id=LEARNER_ID, solves=8)
        async with sessions.begin() as session:
            session.add(
                User(
                    email=EMAIL,
                    display_name="Grace",
                    password_hash=await hash_password(PASSWORD),
                    password_changed_at=utcnow(),
                    profile_public=True,
                )
            )
    finally:
        await engine.dispose()


@pytest.fixture(params=databases.BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The site's database on each backend, prepared on a loop of its own (Playwright's sync
    API owns this thread's)."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/web.db"
    else:
        url = str(request.getfixturevalue("mariadb_url"))
    databases.run_in_own_loop(_prepare(url, used=request.param == "mariadb"))
    return url


@pytest.fixture
def web(database_url: str, tmp_path: Path) -> Iterator[Web]:
    """`codestreak web` whose settings point signing in with Discord at the fake."""
    port = free_port()
    site_url = f"http://127.0.0.1:{port}"
    with fake_in_thread() as fake:
        env = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            "SITE_URL": site_url,
            **{name.upper(): value for name, value in sign_in_settings(fake, site_url).items()},
        }
        with web_process(port, tmp_path, env, tmp_path / "web.log") as url:
            yield Web(url, fake)


def test_a_learner_from_discord_signs_in_with_one_click_and_finds_their_history(
    page: Page, web: Web, artifacts: Path
) -> None:
    ada = FakeUser(LEARNER_ID, "ada_on_discord")
    web.fake.users[ada.id] = ada
    web.fake.oauth.signed_in = ada

    page.goto(web.url + "/login")
    with page.expect_navigation():
        page.get_by_role("link", name="Sign in with Discord").click()
    assert page.url.startswith(web.fake.base_url + "/oauth2/authorize?")
    expect(page.get_by_text("Signed in as ada_on_discord")).to_be_visible()
    page.screenshot(path=artifacts / "discord-consent.png", full_page=True)
    with page.expect_navigation(url=f"{web.url}/u/**"):
        page.get_by_role("button", name="Authorize").click()

    expect(page.get_by_text("Signed in with Discord as ada_on_discord.")).to_be_visible()
    expect(page.get_by_role("heading", name="ada_on_discord")).to_be_visible()
    expect(page.locator('svg[aria-label^="Daily activity: 8 submissions"]')).to_be_visible()
    page.screenshot(path=artifacts / "discord-signed-in.png", full_page=True)

    page.get_by_role("link", name="Account", exact=True).click()
    expect(page.locator(".discord-name")).to_have_text("ada_on_discord")
    expect(page.get_by_role("button", name="Remove Discord")).to_have_count(0)
    expect(page.get_by_role("heading", name="Add an email and a password")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()

    page.goto(web.url + "/login")
    with page.expect_navigation():
        page.get_by_role("link", name="Sign in with Discord").click()
    with page.expect_navigation(url=f"{web.url}/auth/discord/callback?**"):
        page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("You did not authorize codestreak on Discord")).to_be_visible()
    web.fake.assert_no_violations()


def test_an_email_account_adds_discord_and_removes_it(page: Page, web: Web) -> None:
    grace = web.fake.add_user("grace_on_discord")
    web.fake.oauth.signed_in = grace

    page.goto(web.url + "/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Account", exact=True).click()
    with page.expect_navigation(url=f"{web.fake.base_url}/oauth2/authorize?**"):
        page.get_by_role("link", name="Link with Discord").click()
    with page.expect_navigation(url=f"{web.url}/account"):
        page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text("Your Discord account grace_on_discord is now linked.")).to_be_visible()
    expect(page.locator(".discord-name")).to_have_text("grace_on_discord")

    with page.expect_navigation():
        page.get_by_role("button", name="Remove Discord").click()
    expect(page.get_by_text("Your Discord account was removed")).to_be_visible()
    expect(page.get_by_role("link", name="Link with Discord")).to_be_visible()
    web.fake.assert_no_violations()
