"""A moderator designs a task in a real browser: tests, filled outputs, validation, publishing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.db import create_engine, create_sessionmaker
from core.settings import Settings
from tests.support import databases
from tests.support.live_site import LiveSite
from tests.support.moderation_site import add_account
from tests.support.site_client import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.docker]

EMAIL = "grace@example.com"


@pytest.fixture
def site_settings(site_settings: Settings, sandbox_image: str) -> Settings:
    """The live site's settings, grading in the test image under a pool name of its own."""
    return site_settings.model_copy(
        update={
            "sandbox_image": sandbox_image,
            "sandbox_pool_name": f"test-browser-{os.getpid()}",
        }
    )


async def _add_moderator(url: str) -> None:
    engine = create_engine(url)
    try:
        await add_account(create_sessionmaker(engine), EMAIL, "Grace", moderator=True)
    finally:
        await engine.dispose()


def press(page: Page, button: str) -> None:
    """Press a form's button and wait for the page it brings back."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_a_moderator_writes_validates_and_publishes_a_task(
    page: Page, live_site: LiveSite, site_settings: Settings, artifacts: Path
) -> None:
    databases.run_in_own_loop(_add_moderator(site_settings.database_url))
    page.goto(live_site.url + "/mod/tasks/new")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    press(page, "Log in")
    expect(page.get_by_role("heading", name="New task")).to_be_visible()

    page.get_by_label("Title").fill("Double it")
    page.get_by_label("Slug").fill("double-it")
    page.get_by_label("Difficulty").select_option("easy")
    page.get_by_label("Tags").fill("math, basics")
    page.get_by_label("Statement (Markdown)").fill("Read an integer `n` and print **twice** `n`.")
    page.get_by_label("Reference solution").fill("print(2 * int(input()))\n")
    page.get_by_label("Code", exact=True).fill("print(int(input()) + 2)\n")
    page.get_by_label("Why it is wrong").fill("adds two instead of doubling")
    press(page, "Preview")
    expect(page.locator("#statement-preview strong")).to_have_text("twice")

    press(page, "Add a test")
    press(page, "Add a test")
    for number, value in enumerate(("2", "5", "-7"), start=1):
        page.get_by_label(f"Input of test {number}").fill(value + "\n")
    page.get_by_label("Test 3 is hidden").check()
    press(page, "Fill expected outputs")
    expect(
        page.get_by_text("Filled 3 expected outputs from the reference solution.")
    ).to_be_visible()
    for number, value in enumerate(("4", "10", "-14"), start=1):
        expect(page.get_by_label(f"Expected output of test {number}")).to_have_value(value + "\n")

    press(page, "Validate")
    expect(page.get_by_text("Validation passed. Saved as version 1.")).to_be_visible()
    expect(page.get_by_role("heading", name="Validation passed")).to_be_visible()
    expect(page.get_by_text("Suggested limit:")).to_be_visible()
    page.screenshot(path=str(artifacts / "designer.png"), full_page=True)

    press(page, "Publish")
    expect(
        page.get_by_text("Double it is published: learners can see and solve it.")
    ).to_be_visible()
    page.goto(live_site.url + "/tasks")
    page.get_by_role("link", name="Double it").click()
    expect(page.get_by_role("heading", name="Double it")).to_be_visible()
    expect(page.locator(".statement strong")).to_have_text("twice")
