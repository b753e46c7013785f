"""A live site prepared for accessibility checks: every kind of page has something to show.

A Discord learner in a named server who shared their solutions, and a moderator with a public
profile who solved a task too; the links an email would give; the moderator signed in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Browser, StorageState, expect
from sqlalchemy import update

from api.app import create_app
from core import migrations
from core.accounts.email_change import request_email_change
from core.accounts.password_reset import request_password_reset
from core.accounts.tokens import Purpose, issue_token
from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.db import create_engine, create_sessionmaker
from core.learners import remember_member
from core.models import GuildSettings, Submission, User, utcnow
from core.settings import Settings
from tests.support import databases
from tests.support.live_site import LiveSite
from tests.support.mailbox import free_port
from tests.support.moderation_site import add_account
from tests.support.rows import add_solve, add_task, discord_learner
from tests.support.site_client import PASSWORD

#: A shipped task whose statement has a table, lists and code blocks.
RICH_TASK = Path(__file__).resolve().parents[2] / "data/tasks/tiny-bank-ledger.json"
SECRET = "accessibility-test-secret-that-is-long-enough-0123456789"
GUILD = 1000
EMAIL = "grace@example.com"
NAME = "Grace Hopper"


@dataclass(frozen=True, slots=True)
class Tokens:
    """Links only an email (or the bot) would give, made while the site is prepared."""

    reset: str
    register: str
    email_change: str


async def _prepare(url: str) -> Tokens:
    """Migrate the database and add the learners, the server and the links."""
    await migrations.upgrade_async(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    try:
        learner = await discord_learner(sessions, discord_id=4242, solves=8)
        grace = await add_account(sessions, EMAIL, NAME, moderator=True)
        async with sessions() as session:
            session.add(GuildSettings(guild_id=GUILD, name="Python Club"))
            await remember_member(session, GUILD, learner)
            await session.execute(update(Submission).values(shared=True))
            account = await session.get(User, grace)
            assert account is not None
            account.profile_public = True
            task = await add_task(session, "seed-task-0", title="Seed task 0")
            await add_solve(session, account, task, utcnow() - timedelta(days=1), 10)
            await upsert_tasks(session, [TaskFile.model_validate_json(RICH_TASK.read_text())])
            reset = await request_password_reset(session, SECRET, EMAIL)
            assert reset is not None
            change = await request_email_change(
                session, SECRET, account, "grace@navy.example", PASSWORD
            )
            assert change.token is not None
            await session.commit()
    finally:
        await engine.dispose()
    register = issue_token(SECRET, Purpose.REGISTER, {"email": "newcomer@example.com"})
    return Tokens(reset=reset.token, register=register, email_change=change.token)


@dataclass(frozen=True, slots=True)
class AuditedSite:
    """The live site, its settings, the links made for it and the signed-in browser state."""

    site: LiveSite
    settings: Settings
    tokens: Tokens
    signed_in: StorageState


def _sign_in(browser: Browser, url: str) -> StorageState:
    """The browser state of the moderator, logged in through the form."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + "/login")
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        return context.storage_state()
    finally:
        context.close()


@contextmanager
def serving(folder: Path, browser: Browser, **changes: object) -> Iterator[AuditedSite]:
    """A prepared live site on SQLite with these settings changed, and the moderator's state."""
    database_url = f"sqlite+aiosqlite:///{folder}/site.db"
    tokens = databases.run_in_own_loop(_prepare(database_url))
    site_url = f"http://127.0.0.1:{free_port()}"
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET,
        site_url=site_url,
        outbox_dir=folder / "outbox",
        # "Sign in with Discord" shows on the pages that offer it
        discord_client_id="1234567890",
        discord_client_secret="accessibility-client-secret",
        discord_redirect_url=f"{site_url}/auth/discord/callback",
    ).model_copy(update=changes)
    site = LiveSite(create_app(settings), int(site_url.rsplit(":", 1)[1]))
    site.start()
    try:
        yield AuditedSite(site, settings, tokens, _sign_in(browser, site.url))
    finally:
        site.stop()
