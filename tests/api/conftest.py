"""Fixtures for site tests: a real SMTP server, an app per test database, an httpx client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from core.db import create_engine, create_sessionmaker
from core.settings import Settings
from tests.support.mailbox import Mailbox, SmtpServer

SECRET = "test-secret-that-is-long-enough-for-production-0123456789"


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    """One real SMTP server for the run."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server: SmtpServer) -> Mailbox:
    """The SMTP server's mailbox, emptied for this test."""
    smtp_server.mailbox.messages.clear()
    return smtp_server.mailbox


@pytest.fixture
def site_settings(database_url: str, smtp_server: SmtpServer, tmp_path: Path) -> Settings:
    """Settings of a site on the test database that mails through the test SMTP server."""
    return Settings(
        database_url=database_url,
        secret_key=SECRET,
        site_url="http://testserver",
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_starttls=False,
        mail_from="codestreak <noreply@codestreak.test>",
        outbox_dir=tmp_path / "outbox",
    )


@pytest.fixture
async def app(site_settings: Settings) -> AsyncIterator[FastAPI]:
    """A running site (lifespan entered) for this test."""
    application = create_app(site_settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A visitor talking to the site in-process."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as visitor:
        yield visitor


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the site's database, to arrange and check rows directly."""
    engine = create_engine(database_url)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()
