"""Fixtures for browser tests: a live site, a real SMTP server and Debian's headless chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from api.app import create_app
from core import migrations
from core.db import create_engine, create_sessionmaker
from core.settings import Settings
from tests.support import databases
from tests.support.audited_site import AuditedSite, serving
from tests.support.live_site import LiveSite
from tests.support.mailbox import SmtpServer, free_port
from tests.support.rows import discord_learner

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server for this test."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


async def _prepare(url: str) -> None:
    """Migrate a new database and give it a Discord learner with a history of solves."""
    await migrations.upgrade_async(url)
    engine = create_engine(url)
    try:
        await discord_learner(create_sessionmaker(engine), discord_id=4242, solves=8)
    finally:
        await engine.dispose()


@pytest.fixture
def site_settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    """Settings of a live site on a fresh SQLite database with a Discord learner's history.

    The database is prepared on a loop of its own: Playwright's sync API owns this thread's loop.
    """
    database_url = f"sqlite+aiosqlite:///{tmp_path}/site.db"
    databases.run_in_own_loop(_prepare(database_url))
    return Settings(
        database_url=database_url,
        secret_key="browser-test-secret-that-is-long-enough-0123456789",
        site_url=f"http://127.0.0.1:{free_port()}",
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_starttls=False,
        outbox_dir=tmp_path / "outbox",
    )


@pytest.fixture
def live_site(site_settings: Settings) -> Iterator[LiveSite]:
    """The site served by uvicorn at `site_settings.site_url`."""
    site = LiveSite(create_app(site_settings), int(site_settings.site_url.rsplit(":", 1)[1]))
    site.start()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, driven by Playwright (never a downloaded browser).

    Module-scoped: Playwright's sync API keeps an event loop running in this thread while it is
    open, which asyncio tests in other modules must not inherit.
    """
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing; run scripts/ensure-chromium.sh")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context and tab, desktop-sized."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (git-ignored), at the repository root."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def audited_site(
    tmp_path_factory: pytest.TempPathFactory, browser: Browser
) -> Iterator[AuditedSite]:
    """A live site with something on every kind of page, and its moderator signed in, for the
    module's accessibility checks."""
    with serving(tmp_path_factory.mktemp("accessibility"), browser) as site:
        yield site
