"""Profiles in a real browser: a visitor reaches a public profile from the leaderboard, finds its
preview tags and card, and pages through its solved list and history; a learner known only from
Discord stays a pseudonym."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from api.routes.profiles import HISTORY_PAGE, SOLVED_PAGE
from core.db import create_engine, create_sessionmaker
from core.models import User, utcnow
from core.settings import Settings
from tests.support import databases
from tests.support.live_site import LiveSite
from tests.support.mailbox import SmtpServer, link_in
from tests.support.rows import add_solve, add_task

pytestmark = pytest.mark.browser


def count_through_pages(page: Page, items: str) -> tuple[int, int]:
    """Click "Next" until there is none: (how many pages, how many `items` on them)."""
    pages, count = 1, page.locator(items).count()
    while page.get_by_role("link", name="Next →").count():
        page.get_by_role("link", name="Next →").click()
        expect(page.get_by_role("link", name="← Previous")).to_be_visible()
        pages, count = pages + 1, count + page.locator(items).count()
    return pages, count


#: the conftest's Discord learner (8 solves) plus these: two pages of solves, three of history
MORE_SOLVES = SOLVED_PAGE + HISTORY_PAGE - 8 + 2
SOLVES = 8 + MORE_SOLVES


async def _seed(url: str) -> int:
    """Make the Discord learner public with more solves; add a private one; their id."""
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            ada = await session.get(User, 1)
            assert ada is not None
            ada.display_name, ada.profile_public = "Ada Lovelace", True
            for i in range(MORE_SOLVES):
                task = await add_task(session, f"more-task-{i:02}", title=f"More task {i:02}")
                await add_solve(session, ada, task, utcnow() - timedelta(minutes=90 - i), 10)
            hidden = User(display_name="hidden_on_discord", discord_id=99, points=5)
            session.add(hidden)
            await session.commit()
            return hidden.id
    finally:
        await engine.dispose()


@pytest.fixture
def private_learner(site_settings: Settings) -> int:
    """The id of a learner known only from Discord, beside a public Ada with two pages of
    solves and submissions."""
    return databases.run_in_own_loop(_seed(site_settings.database_url))


def test_a_visitor_reaches_a_public_profile_and_pages_through_its_history(
    private_learner: int, live_site: LiveSite, page: Page, artifacts: Path
) -> None:
    page.goto(live_site.url + "/leaderboard")
    expect(page.get_by_role("cell", name=f"Learner {private_learner}", exact=True)).to_be_visible()
    expect(page.get_by_text("hidden_on_discord")).to_have_count(0)
    page.get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("heading", name="Ada Lovelace", level=1)).to_be_visible()

    address = live_site.url + "/u/Ada%20Lovelace"
    meta = page.locator('meta[property="og:image"]')
    assert meta.get_attribute("content") == address + "/card.png"
    assert page.locator('meta[property="og:url"]').get_attribute("content") == address
    assert page.locator('meta[name="twitter:card"]').get_attribute("content") == (
        "summary_large_image"
    )
    card = page.request.get(address + "/card.png")
    assert (card.status, card.headers["content-type"]) == (200, "image/png")
    expect(page.get_by_role("row", name="Easy")).to_contain_text("of")
    page.screenshot(path=str(artifacts / "profile-public.png"), full_page=True)

    page.get_by_role("link", name="Full history →").click()
    expect(page.get_by_role("heading", name="Submissions of Ada Lovelace")).to_be_visible()
    assert count_through_pages(page, "li.submission") == (3, SOLVES)
    expect(page.get_by_text("Your code")).to_have_count(0)
    page.screenshot(path=str(artifacts / "profile-history.png"), full_page=True)

    page.get_by_role("link", name="← Ada Lovelace").click()
    page.get_by_role("link", name=f"All {SOLVES} solved tasks →").click()
    expect(page.get_by_role("heading", name="Tasks solved by Ada Lovelace")).to_be_visible()
    assert count_through_pages(page, "tbody tr") == (2, SOLVES)
    page.screenshot(path=str(artifacts / "profile-solved.png"), full_page=True)

    hidden = page.request.get(live_site.url + "/u/hidden_on_discord")
    assert hidden.status == 404


def test_a_new_account_sees_its_private_profile_and_opts_in(
    live_site: LiveSite, page: Page, browser: Browser, smtp: SmtpServer
) -> None:
    page.goto(live_site.url + "/register")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_role("button", name="Send me the link").click()
    page.goto(link_in(smtp.mailbox.wait_for("grace@example.com", "Confirm your email")))
    page.get_by_label("Display name").fill("Grace Hopper")
    page.get_by_label("Password", exact=True).fill("compile all the things")
    page.get_by_label("Repeat the password").fill("compile all the things")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Only you can see this page: your profile is private.")).to_be_visible()
    assert page.locator('meta[property="og:image"]').count() == 0
    address = live_site.url + "/u/Grace%20Hopper"
    assert page.request.get(address + "/card.png").status == 404

    page.get_by_role("link", name="Make it public").click()
    page.get_by_label("Show my profile to everyone").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile is public now.")).to_be_visible()
    stranger = browser.new_context()
    try:
        seen = stranger.new_page()
        seen.goto(address)
        expect(seen.get_by_role("heading", name="Grace Hopper", level=1)).to_be_visible()
        expect(seen.get_by_text("Only you can see this page")).to_have_count(0)
    finally:
        stranger.close()
