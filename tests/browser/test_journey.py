"""A learner's whole journey in a real browser: register, reset, log in, link, see the profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from core.accounts.discord_link import issue_link_url
from core.settings import Settings
from tests.support.live_site import LiveSite
from tests.support.mailbox import SmtpServer, link_in

pytestmark = pytest.mark.browser

EMAIL = "ada@example.com"
FIRST_PASSWORD = "correct horse battery"
NEW_PASSWORD = "analytical engine 1843"


def submit_form(page: Page, button: str) -> None:
    """Press a form's button and wait for the next page."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_register_reset_log_in_link_and_see_the_profile(
    page: Page,
    live_site: LiveSite,
    smtp: SmtpServer,
    site_settings: Settings,
    artifacts: Path,
    browser: Browser,
) -> None:
    page.goto(live_site.url + "/register")
    page.get_by_label("Email").fill(EMAIL)
    submit_form(page, "Send me the link")
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    page.goto(link_in(smtp.mailbox.wait_for(EMAIL, "Confirm your email")))
    page.get_by_label("Display name").fill("Ada Lovelace")
    page.get_by_label("Password", exact=True).fill(FIRST_PASSWORD)
    page.get_by_label("Repeat the password").fill(FIRST_PASSWORD)
    submit_form(page, "Create my account")
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()

    submit_form(page, "Log out")
    page.goto(live_site.url + "/forgot-password")
    page.get_by_label("Email").fill(EMAIL)
    submit_form(page, "Send the link")
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    page.goto(link_in(smtp.mailbox.wait_for(EMAIL, "Reset your")))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    submit_form(page, "Change my password")
    expect(page.get_by_text("Your password was changed")).to_be_visible()
    assert page.url.endswith("/login")

    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(FIRST_PASSWORD)
    submit_form(page, "Log in")
    expect(page.get_by_text("The email or the password is wrong.")).to_be_visible()
    page.get_by_label("Password").fill(NEW_PASSWORD)
    submit_form(page, "Log in")
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()

    page.goto(issue_link_url(site_settings, 4242, "ada_on_discord"))
    expect(page.locator(".discord-name")).to_have_text("ada_on_discord")
    submit_form(page, "Link this Discord account")
    expect(page.get_by_text("Your Discord account ada_on_discord is now linked.")).to_be_visible()

    page.get_by_role("link", name="Profile", exact=True).click()
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    points_chart = page.locator('.wide-only svg[aria-label^="Points over time: 80 points"]')
    activity_chart = page.locator('svg[aria-label^="Daily activity: 8 submissions"]')
    expect(points_chart).to_be_visible()
    expect(activity_chart).to_be_visible()
    assert points_chart.locator("polyline").count() == 1
    assert activity_chart.locator("rect").count() > 300
    expect(page.get_by_text("First Solve", exact=True)).to_be_visible()
    page.screenshot(path=str(artifacts / "profile.png"), full_page=True)

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, storage_state=page.context.storage_state()
    )
    try:
        small = phone.new_page()
        small.goto(page.url)
        expect(small.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
        expect(small.locator('.narrow-only svg[aria-label^="Points over time"]')).to_be_visible()
        expect(small.locator('svg[aria-label^="Daily activity"]')).to_be_visible()
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the profile scrolls sideways on a phone ({width}px)"
        small.screenshot(path=str(artifacts / "profile-phone.png"), full_page=True)
    finally:
        phone.close()


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Practise Python every day."),
        ("/tasks", "Tasks"),
        ("/tasks/seed-task-0", "Seed task 0"),
        ("/leaderboard", "Leaderboard"),
        ("/login", "Log in"),
        ("/register", "Create an account"),
    ],
)
def test_public_pages_render_without_scrolling_sideways(
    browser: Browser, live_site: LiveSite, artifacts: Path, path: str, heading: str
) -> None:
    for name, width in (("desktop", 1280), ("phone", 390)):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            tab = context.new_page()
            tab.goto(live_site.url + path)
            expect(tab.get_by_role("heading", name=heading, exact=True)).to_be_visible()
            assert tab.evaluate("document.documentElement.scrollWidth") <= width, (path, name)
            slug = path.strip("/").replace("/", "-") or "home"
            tab.screenshot(path=str(artifacts / f"{slug}-{name}.png"), full_page=True)
        finally:
            context.close()
