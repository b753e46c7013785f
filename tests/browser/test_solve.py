"""Solving a task in a real browser, graded in the real sandbox: with the editor, and without
JavaScript in the plain textarea."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from core.db import create_engine, create_sessionmaker
from core.settings import Settings
from tests.support import databases
from tests.support.live_site import LiveSite
from tests.support.moderation_site import add_account
from tests.support.site_client import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.docker]

TASK = "/tasks/seed-task-0"
#: prints the line once where the task wants it twice
WRONG = "line = input()\nprint(line)\n"
RIGHT = "line = input()\nprint(line)\nprint(line)\n"
DIFFERS = "Your output ends after line 1; line 2 was expected."
#: the fields' background in dark mode (api/static/style.css)
DARK_FIELD = "rgb(15, 18, 24)"


@pytest.fixture
def site_settings(site_settings: Settings, sandbox_image: str) -> Settings:
    """The live site's settings, grading in the test image under a pool name of its own."""
    return site_settings.model_copy(
        update={
            "sandbox_image": sandbox_image,
            "sandbox_pool_name": f"test-browser-solve-{os.getpid()}",
            "submission_cooldown_s": 0,
        }
    )


async def _add_learner(url: str, email: str, name: str) -> None:
    engine = create_engine(url)
    try:
        await add_account(create_sessionmaker(engine), email, name, moderator=False)
    finally:
        await engine.dispose()


def log_in_to_the_task(page: Page, site: LiveSite, settings: Settings, name: str) -> None:
    """Create a learner's account and log in from the task page's prompt."""
    email = f"{name.lower()}@example.com"
    databases.run_in_own_loop(_add_learner(settings.database_url, email, name))
    page.goto(site.url + TASK)
    with page.expect_navigation():
        page.get_by_role("link", name="Log in", exact=True).last.click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert page.url.endswith(TASK)


def submit(page: Page) -> None:
    """Press the code form's Submit and wait for the verdict."""
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="Submit", exact=True).click()


def type_in_editor(page: Page, code: str) -> None:
    """Replace the editor's text by typing `code`, as a learner does (lines without indent)."""
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    for number, line in enumerate(code.rstrip("\n").split("\n")):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(line)


def test_a_learner_fixes_a_wrong_answer_in_the_editor(
    page: Page, live_site: LiveSite, site_settings: Settings, artifacts: Path
) -> None:
    log_in_to_the_task(page, live_site, site_settings, "Ada")
    editor = page.locator(".solve-form .cm-editor")
    expect(editor).to_be_visible()
    expect(page.locator("textarea#code")).to_be_hidden()
    expect(page.locator(".cm-content")).to_contain_text("# your code here")
    expect(page.locator(".cm-line span").first).to_be_visible()  # tokens highlighted

    type_in_editor(page, WRONG)
    submit(page)
    expect(page.get_by_role("heading", name="✗ Wrong answer")).to_be_visible()
    expect(page.get_by_text(DIFFERS)).to_be_visible()
    expect(page.get_by_text("Test 2 (hidden): ✗ wrong answer")).to_be_visible()
    expect(page.locator(".cm-content")).to_contain_text("print(line)")
    page.screenshot(path=artifacts / "solve-wrong-answer.png", full_page=True)

    type_in_editor(page, RIGHT)
    submit(page)
    expect(page.get_by_role("heading", name="✓ Accepted")).to_be_visible()
    expect(page.get_by_text("+10 points")).to_be_visible()
    expect(page.get_by_text("Total: 10 points.")).to_be_visible()
    expect(page.get_by_text("First Solve", exact=True)).to_be_visible()
    page.screenshot(path=artifacts / "solve-accepted.png", full_page=True)
    page.emulate_media(color_scheme="dark")
    expect(editor).to_have_css("background-color", DARK_FIELD)
    page.screenshot(path=artifacts / "solve-accepted-dark.png", full_page=True)
    page.emulate_media(color_scheme="light")

    page.locator(".cm-content").focus()
    page.keyboard.press("Tab")  # indents, inside the editor
    expect(page.locator(".cm-content")).to_be_focused()
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # Esc then Tab leaves it
    expect(page.get_by_label("Or send a file")).to_be_focused()


def test_without_javascript_the_textarea_solves_the_same_way(
    browser: Browser, live_site: LiveSite, site_settings: Settings, artifacts: Path
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in_to_the_task(page, live_site, site_settings, "Lin")
        code = page.get_by_label("Code", exact=True)
        expect(code).to_be_visible()
        expect(page.locator(".cm-editor")).to_have_count(0)
        expect(code).to_have_value("line = input()\n# your code here\n")

        code.fill(WRONG)
        submit(page)
        expect(page.get_by_role("heading", name="✗ Wrong answer")).to_be_visible()
        expect(page.get_by_text(DIFFERS)).to_be_visible()
        expect(code).to_have_value(WRONG)

        code.fill(RIGHT)
        page.get_by_label("Share my accepted solution").check()
        submit(page)
        expect(page.get_by_role("heading", name="✓ Accepted")).to_be_visible()
        expect(page.get_by_text("+10 points")).to_be_visible()
        expect(page.get_by_text("Shared: learners who solved this task")).to_be_visible()
        page.screenshot(path=artifacts / "solve-without-javascript.png", full_page=True)
    finally:
        context.close()
