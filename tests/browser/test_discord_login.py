"""Signing in with Discord in a real browser, against the fake Discord's consent page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.settings import Settings
from tests.fakediscord import FakeDiscord, FakeUser
from tests.support.discord_sign_in import fake_in_thread, pointed_at_fake
from tests.support.live_site import LiveSite

pytestmark = pytest.mark.browser

#: the Discord learner `tests/browser/conftest.py` gives the site, with eight solves
LEARNER_ID = 4242


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    """The fake Discord, on a loop of its own (this thread's belongs to Playwright)."""
    with fake_in_thread() as running:
        yield running


@pytest.fixture
def site_settings(site_settings: Settings, fake: FakeDiscord) -> Settings:
    """The live site, signing in with Discord through the fake."""
    return pointed_at_fake(site_settings, fake)


def test_a_learner_from_discord_signs_in_with_one_click_and_finds_their_history(
    page: Page, live_site: LiveSite, fake: FakeDiscord, artifacts: Path
) -> None:
    ada = FakeUser(LEARNER_ID, "ada_on_discord")
    fake.users[ada.id] = ada
    fake.oauth.signed_in = ada

    page.goto(live_site.url + "/login")
    with page.expect_navigation():
        page.get_by_role("link", name="Sign in with Discord").click()
    assert page.url.startswith(fake.base_url + "/oauth2/authorize?")
    expect(page.get_by_text("Signed in as ada_on_discord")).to_be_visible()
    page.screenshot(path=artifacts / "discord-consent.png", full_page=True)
    with page.expect_navigation(url=f"{live_site.url}/u/**"):
        page.get_by_role("button", name="Authorize").click()

    expect(page.get_by_text("Signed in with Discord as ada_on_discord.")).to_be_visible()
    expect(page.get_by_role("heading", name="ada_on_discord")).to_be_visible()
    expect(page.locator('svg[aria-label^="Daily activity: 8 submissions"]')).to_be_visible()
    page.screenshot(path=artifacts / "discord-signed-in.png", full_page=True)

    page.get_by_role("link", name="Account", exact=True).click()
    expect(page.locator(".discord-name")).to_have_text("ada_on_discord")
    expect(page.get_by_role("button", name="Remove Discord")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()

    page.goto(live_site.url + "/login")
    with page.expect_navigation():
        page.get_by_role("link", name="Sign in with Discord").click()
    with page.expect_navigation(url=f"{live_site.url}/auth/discord/callback?**"):
        page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("You did not authorize codestreak on Discord")).to_be_visible()
    fake.assert_no_violations()
