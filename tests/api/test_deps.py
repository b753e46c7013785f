"""One commit per request: the session commits when the route returns, before the answer is sent,
and rolls back when the route raises; no route commits by itself (a route that waits on work
writing through its own sessions settles first through `api.deps.settle_before_waiting`)."""

from __future__ import annotations

import ast
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import Message, Receive, Scope, Send

from api.deps import AccountPage, Db
from core.models import UsedToken, User, utcnow
from core.moderators import RIGHTS_FRESH_FOR
from tests.support.mailbox import Mailbox
from tests.support.moderation_site import logged_in, see_moderating
from tests.support.site_client import register, submit

API = Path(__file__).parents[2] / "api"
#: the one place allowed to end the request's transaction
SESSION_DEPENDENCY = API / "deps.py"


def _failing_routes() -> APIRouter:
    """Routes that write, then succeed or fail in each way a route can."""
    router = APIRouter()

    @router.post("/probe/write-then-crash")
    async def write_then_crash(page: AccountPage) -> None:
        page.user.display_name = "Renamed"
        raise RuntimeError("the route failed after writing")

    @router.post("/probe/write-then-refuse")
    async def write_then_refuse(page: AccountPage) -> None:
        page.user.display_name = "Renamed"
        raise page.refuse("error.html", 409, title="Refused", message="Refused after writing.")

    @router.post("/probe/rename")
    async def rename(page: AccountPage) -> RedirectResponse:
        page.user.display_name = "Renamed"
        return RedirectResponse("/account", status_code=303)

    @router.post("/probe/commit-fails")
    async def commit_fails(db: Db) -> dict[str, str]:
        db.add_all([UsedToken(purpose="probe", token_id="twice") for _ in range(2)])
        return {"status": "saved"}

    return router


@pytest.fixture
async def probed(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A browser on the site with the failing routes, which gets 500 pages instead of errors."""
    app.include_router(_failing_routes())
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as browser:
        yield browser


async def _name_of(db: async_sessionmaker[AsyncSession], user_id: int) -> str:
    async with db() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return user.display_name


async def _generation_of(db: async_sessionmaker[AsyncSession], email: str) -> int:
    async with db() as session:
        generation = await session.scalar(
            select(User.session_generation).where(User.email == email)
        )
        assert generation is not None
        return generation


@pytest.mark.parametrize(
    ("path", "status"), [("/probe/write-then-crash", 500), ("/probe/write-then-refuse", 409)]
)
async def test_a_route_that_fails_after_writing_leaves_nothing_written(
    probed: httpx.AsyncClient, db: async_sessionmaker[AsyncSession], path: str, status: int
) -> None:
    user_id = await logged_in(probed, db, moderator=False)
    answer = await probed.post(path)
    assert answer.status_code == status
    assert await _name_of(db, user_id) == "Grace"


async def test_a_commit_that_fails_never_answers_success(probed: httpx.AsyncClient) -> None:
    answer = await probed.post("/probe/commit-fails")
    assert answer.status_code == 500
    assert "saved" not in answer.text


async def test_the_commit_happens_before_the_answer_is_sent(
    app: FastAPI, client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    before = await _generation_of(db, "ada@example.com")
    seen_when_sent: list[int] = []

    async def reading_the_database_when_sent(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_after_reading(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen_when_sent.append(await _generation_of(db, "ada@example.com"))
            await send(message)

        await app(scope, receive, send_after_reading)

    transport = httpx.ASGITransport(app=reading_the_database_when_sent)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", cookies=client.cookies
    ) as browser:
        out = await submit(browser, "/account", "/logout", {})
    assert out.status_code == 303
    assert seen_when_sent[-1] == before + 1


async def test_a_saved_change_is_seen_by_the_next_request(
    probed: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    user_id = await logged_in(probed, db, moderator=False)
    assert (await probed.post("/probe/rename")).status_code == 303
    assert await _name_of(db, user_id) == "Renamed"
    assert "Renamed" in (await probed.get("/account")).text


def _transaction_calls(module: Path) -> list[str]:
    """Where `module` commits or rolls back a session, as `file:line`."""
    tree = ast.parse(module.read_text(), filename=str(module))
    return [
        f"{module.relative_to(API.parent)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"commit", "rollback"}
    ]


def test_only_the_session_dependency_ends_transactions() -> None:
    found = [
        call
        for module in sorted(API.rglob("*.py"))
        if module != SESSION_DEPENDENCY
        for call in _transaction_calls(module)
    ]
    assert found == []
    assert _transaction_calls(SESSION_DEPENDENCY), "the session dependency commits"


async def test_the_navigation_links_to_the_designer_for_those_who_curate(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    """Curators and moderators whose right is fresh get a Designer link on every page; other
    learners (and lapsed moderators) do not."""
    moderator = await logged_in(client, db, moderator=False)
    designer = re.compile(r'<li><a href="/mod/tasks"( aria-current="page")?>Designer</a></li>')
    for address in ("/tasks", "/account"):
        assert not designer.search((await client.get(address)).text), address
    await see_moderating(db, moderator, 4242, utcnow() - RIGHTS_FRESH_FOR - timedelta(hours=1))
    assert not designer.search((await client.get("/tasks")).text)
    await see_moderating(db, moderator, 4242, utcnow())
    for address in ("/tasks", "/account", "/mod/tasks"):
        assert designer.search((await client.get(address)).text), address
