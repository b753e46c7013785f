"""A learner who solved a task sees others' shared solutions in a real browser and votes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.db import create_engine, create_sessionmaker
from core.settings import Settings
from tests.support import databases
from tests.support.catalogue import add_task
from tests.support.live_site import LiveSite
from tests.support.moderation_site import add_account
from tests.support.site_client import PASSWORD
from tests.support.solutions import add_person, add_solution

pytestmark = pytest.mark.browser

EMAIL = "bob@example.com"


async def _solved_task(url: str) -> None:
    """Task echo-twice with Ada's shared solution, solved by Bob (who has a site account)."""
    engine = create_engine(url)
    try:
        sessions = create_sessionmaker(engine)
        task = await add_task(sessions, "echo-twice", title="Echo twice")
        ada = await add_person(sessions, "Ada")
        await add_solution(sessions, ada, task, "line = input()\nprint(line, line, sep='\\n')\n")
        bob = await add_account(sessions, EMAIL, "Bob", moderator=False)
        await add_solution(sessions, bob, task, "print(input())\nprint('again')\n", shared=False)
    finally:
        await engine.dispose()


def test_a_solver_sees_the_shared_solutions_and_votes(
    page: Page, live_site: LiveSite, site_settings: Settings, artifacts: Path
) -> None:
    databases.run_in_own_loop(_solved_task(site_settings.database_url))
    page.goto(live_site.url + "/login?next=/tasks/echo-twice")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in", exact=True).click()

    solutions = page.locator("#solutions")
    expect(solutions.get_by_role("heading", name="Solutions", exact=True)).to_be_visible()
    expect(solutions.get_by_text("Reference solution")).to_be_visible()
    ada = solutions.get_by_role("article", name="Ada")
    expect(ada.get_by_role("link", name="Ada")).to_have_attribute("href", "/u/Ada")
    expect(ada.locator("code")).to_contain_text("print(line, line, sep='\\n')")
    clever = ada.get_by_role("button", name="Clever")
    expect(clever).to_have_attribute("aria-pressed", "false")
    expect(clever).to_contain_text("0")

    with page.expect_navigation():
        clever.click()
    assert re.search(r"/tasks/echo-twice#solution-\d+$", page.url), page.url
    clever = solutions.get_by_role("article", name="Ada").get_by_role("button", name="Clever")
    expect(clever).to_have_attribute("aria-pressed", "true")
    expect(clever).to_contain_text("1")
    page.locator("#solutions").screenshot(path=artifacts / "task-solutions.png")
