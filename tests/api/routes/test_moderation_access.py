"""Who may use the task designer on which catalogue: curators the shared one, a server's
moderators (with a right seen in the last week) only their server's tasks, learners nothing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from core.content.loader import shared_slug_refusal
from core.models import GLOBAL_CATALOGUE, GuildSettings, Task, utcnow
from core.settings import Settings
from tests.support.content_factories import task_document
from tests.support.moderation_site import (
    add_owned_task,
    designer_fields,
    logged_in,
    post_designer,
    see_moderating,
)
from tests.support.site_client import csrf_token

SERVER_A = 880000000000000001
SERVER_B = 990000000000000002
#: (catalogue, slug, title) of the tasks every test starts with
TASKS = [
    (GLOBAL_CATALOGUE, "echo-twice", "Shared echo"),
    (SERVER_A, "ay-task", "Ay task"),
    (SERVER_B, "bee-task", "Bee task"),
]


def _address(owner: int, slug: str) -> str:
    return f"/mod/tasks/{slug}" if owner == GLOBAL_CATALOGUE else f"/mod/s/{owner}/tasks/{slug}"


async def _seed(db: async_sessionmaker[AsyncSession]) -> None:
    for owner, slug, title in TASKS:
        await add_owned_task(db, owner, slug, title=title)
    await add_owned_task(db, SERVER_B, "bee-draft", title="Bee draft", published=False)
    async with db() as session:
        session.add(GuildSettings(guild_id=SERVER_B, name="Bee Club"))
        await session.commit()


async def _server_moderator(
    client: httpx.AsyncClient,
    db: async_sessionmaker[AsyncSession],
    *servers: int,
    seen_days_ago: int = 1,
) -> int:
    """Log in a learner whose linked account was seen moderating `servers`; its id."""
    user_id = await logged_in(client, db, moderator=False, email="bee@example.com", name="Bea")
    for server in servers:
        await see_moderating(db, user_id, server, utcnow() - timedelta(days=seen_days_ago))
    return user_id


async def _state(db: async_sessionmaker[AsyncSession]) -> set[tuple[int, str, str, int, bool]]:
    """Every task's owner, slug, title, version and published flag."""
    async with db() as session:
        rows = await session.execute(
            select(Task.owner_guild_id, Task.slug, Task.title, Task.version, Task.published)
        )
        return {tuple(row) for row in rows}  # type: ignore[misc]


async def test_a_curator_sees_and_edits_only_the_shared_catalogue(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    await logged_in(client, db)
    listing = (await client.get("/mod/tasks")).text
    assert "Shared catalogue" in listing
    assert 'href="/mod/tasks/echo-twice/edit"' in listing
    assert "Ay task" not in listing
    assert "Bee task" not in listing
    edit = await client.get("/mod/tasks/echo-twice/edit")
    assert "Shared catalogue" in edit.text
    unpublished = await client.post(
        "/mod/tasks/echo-twice/unpublish", data={"csrf_token": csrf_token(edit.text)}
    )
    assert unpublished.headers["location"] == "/mod/tasks/echo-twice/edit"
    assert (GLOBAL_CATALOGUE, "echo-twice", "Shared echo", 2, False) in await _state(db)
    for owner, slug, _ in TASKS[1:]:
        assert (await client.get(f"{_address(owner, slug)}/edit")).status_code == 404


async def test_a_server_moderator_sees_only_their_servers_tasks(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    await _server_moderator(client, db, SERVER_B)
    listing = await client.get("/mod/tasks")
    assert listing.status_code == 200
    assert "Bee Club" in listing.text
    assert f'href="/mod/s/{SERVER_B}/tasks/bee-task/edit"' in listing.text
    assert "Bee draft" in listing.text
    assert "Shared catalogue" not in listing.text
    assert "Shared echo" not in listing.text
    assert "Ay task" not in listing.text
    edit = await client.get(f"/mod/s/{SERVER_B}/tasks/bee-draft/edit")
    assert edit.status_code == 200
    assert "Bee Club" in edit.text
    assert f'action="/mod/s/{SERVER_B}/tasks/bee-draft/publish"' in edit.text
    new = (await client.get("/mod/tasks/new")).text
    assert f'<option value="{SERVER_B}" selected>Bee Club</option>' in new
    assert 'value="0"' not in new
    assert f'value="{SERVER_A}"' not in new


async def test_a_server_moderator_cannot_reach_other_catalogues_by_any_route(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    await _server_moderator(client, db, SERVER_B)
    before = await _state(db)
    token = csrf_token((await client.get("/mod/tasks")).text)
    elsewhere = [
        *[_address(owner, slug) for owner, slug, _ in TASKS[:2]],
        f"/mod/s/{SERVER_B}/tasks/ay-task",  # A's slug in B's catalogue: not there
        "/mod/s/0/tasks/echo-twice",
        f"/mod/s/0{SERVER_B}/tasks/bee-task",
        "/mod/s/bee/tasks/bee-task",
    ]
    for address in elsewhere:
        for page in ("edit", "export"):
            answer = await client.get(f"{address}/{page}")
            assert answer.status_code == 404, (address, page)
            assert "There is no task at this address." in answer.text
        fields = designer_fields(task_document("echo-twice", title="Hijacked"))
        for action in ("edit", "publish", "unpublish"):
            answer = await client.post(
                f"{address}/{action}", data={**fields, "action": "save", "csrf_token": token}
            )
            assert answer.status_code == 404, (address, action)
    for catalogue in (GLOBAL_CATALOGUE, SERVER_A):
        assert (await client.get(f"/mod/tasks/new?catalogue={catalogue}")).status_code == 403
        fields = designer_fields(task_document("planted", title="Planted"))
        created = await client.post(
            "/mod/tasks/new",
            data={**fields, "catalogue": str(catalogue), "action": "save", "csrf_token": token},
        )
        assert created.status_code == 403
        assert "You do not curate that catalogue" in created.text
        document = json.dumps(task_document("echo-twice", title="Imported over")).encode()
        imported = await client.post(
            "/mod/tasks/import",
            data={"csrf_token": token, "catalogue": str(catalogue)},
            files={"document": ("echo-twice.json", document, "application/json")},
        )
        assert imported.status_code == 403
    assert await _state(db) == before


async def test_a_server_moderator_writes_publishes_and_exports_their_servers_tasks(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    await _server_moderator(client, db, SERVER_B)
    fields = {**designer_fields(task_document("shout", title="Shout")), "catalogue": str(SERVER_B)}
    created = await post_designer(client, "/mod/tasks/new", fields, "save")
    assert created.status_code == 303, created.text
    assert created.headers["location"] == f"/mod/s/{SERVER_B}/tasks/shout/edit"
    assert "Saved as version 1." in (await client.get(created.headers["location"])).text
    async with db() as session:
        shout = await session.scalar(select(Task).where(Task.slug == "shout"))
        assert shout is not None
        assert (shout.owner_guild_id, shout.published) == (SERVER_B, False)

    address = f"/mod/s/{SERVER_B}/tasks/bee-draft"
    token = csrf_token((await client.get(f"{address}/edit")).text)
    published = await client.post(f"{address}/publish", data={"csrf_token": token})
    assert published.headers["location"] == f"{address}/edit"
    page = (await client.get(f"{address}/edit")).text
    assert "Bee draft is published: learners can see and solve it." in page
    assert f'href="/s/{SERVER_B}/tasks/bee-draft"' in page
    assert (SERVER_B, "bee-draft", "Bee draft", 2, True) in await _state(db)
    unpublished = await client.post(f"{address}/unpublish", data={"csrf_token": token})
    assert unpublished.status_code == 303
    assert (SERVER_B, "bee-draft", "Bee draft", 3, False) in await _state(db)

    exported = await client.get(f"{address}/export")
    assert exported.status_code == 200
    assert json.loads(exported.text)["title"] == "Bee draft"


async def test_a_servers_task_cannot_take_a_shared_slug(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    await _server_moderator(client, db, SERVER_B)
    fields = {
        **designer_fields(task_document("echo-twice", title="Our echo")),
        "catalogue": str(SERVER_B),
    }
    refusal = shared_slug_refusal("echo-twice").replace("'", "&#39;")
    for action in ("save", "validate"):  # refused before the sandbox would run
        answer = await post_designer(client, "/mod/tasks/new", fields, action)
        assert answer.status_code == 400, action
        assert f'id="slug-error">{refusal}</p>' in answer.text
        assert 'value="Our echo"' in answer.text
        assert f'<option value="{SERVER_B}" selected>Bee Club</option>' in answer.text
    assert "Our echo" not in {title for _, _, title, _, _ in await _state(db)}


async def test_a_moderator_of_two_servers_chooses_the_catalogue(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    await _server_moderator(client, db, SERVER_A, SERVER_B)
    listing = (await client.get("/mod/tasks")).text
    assert listing.index("Bee Club") < listing.index(f"Server {SERVER_A}")  # by name
    assert "Ay task" in listing
    assert "Bee task" in listing
    fields = designer_fields(task_document("shout", title="Shout"))
    unchosen = await post_designer(client, "/mod/tasks/new", fields, "save")
    assert unchosen.status_code == 400
    assert 'id="catalogue-error">Choose the catalogue this task belongs to.' in unchosen.text
    assert '<option value="" selected>Choose…</option>' in unchosen.text
    preselected = (await client.get(f"/mod/tasks/new?catalogue={SERVER_A}")).text
    assert f'<option value="{SERVER_A}" selected>' in preselected
    token = csrf_token(listing)
    document = json.dumps(task_document("imported")).encode()
    imported = await client.post(
        "/mod/tasks/import",
        data={"csrf_token": token},
        files={"document": ("imported.json", document, "application/json")},
    )
    assert imported.status_code == 400
    assert "Choose the catalogue to import the task into." in imported.text


async def test_a_lapsed_right_is_refused_at_the_next_request(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    user_id = await _server_moderator(client, db, SERVER_B)
    assert (await client.get("/mod/tasks")).status_code == 200
    await see_moderating(db, user_id, SERVER_B, utcnow() - timedelta(days=8))
    for path in ("/mod/tasks", f"/mod/s/{SERVER_B}/tasks/bee-task/edit"):
        answer = await client.get(path)
        assert answer.status_code == 403, path
        assert "These pages are for the people who write tasks." in answer.text
        assert "the right lasts 7 days after its last use there" in answer.text
    await see_moderating(db, user_id, SERVER_B, utcnow())  # seen again in Discord
    assert (await client.get("/mod/tasks")).status_code == 200


async def test_a_server_moderators_forms_need_a_csrf_token(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    await _server_moderator(client, db, SERVER_B)
    before = await _state(db)
    fields = {**designer_fields(task_document("bee-task", title="Changed")), "action": "save"}
    address = f"/mod/s/{SERVER_B}/tasks/bee-task"
    for path in (f"{address}/edit", f"{address}/publish", f"{address}/unpublish"):
        answer = await client.post(path, data=fields)
        assert answer.status_code == 403, path
        assert "This form expired or did not come from this site." in answer.text
    created = await client.post("/mod/tasks/new", data={**fields, "catalogue": str(SERVER_B)})
    assert created.status_code == 403
    assert await _state(db) == before


@pytest.fixture
async def home_client(site_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A visitor on a site whose operator's home server is server A."""
    settings = site_settings.model_copy(update={"home_guild_ids": [SERVER_A]})
    application: FastAPI = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as visitor:
            yield visitor


async def test_a_home_servers_moderator_curates_the_shared_catalogue(
    home_client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    await _server_moderator(home_client, db, SERVER_A)
    listing = (await home_client.get("/mod/tasks")).text
    assert "Shared catalogue" in listing
    assert "Shared echo" in listing
    assert "Bee task" not in listing
    token = csrf_token(listing)
    unpublished = await home_client.post(
        "/mod/tasks/echo-twice/unpublish", data={"csrf_token": token}
    )
    assert unpublished.status_code == 303
    assert (GLOBAL_CATALOGUE, "echo-twice", "Shared echo", 2, False) in await _state(db)
    fields = designer_fields(task_document("new-shared", title="New shared"))
    created = await post_designer(home_client, "/mod/tasks/new", fields, "save")
    assert created.headers["location"] == "/mod/tasks/new-shared/edit"
    bee = await home_client.get(f"/mod/s/{SERVER_B}/tasks/bee-task/edit")
    assert bee.status_code == 404
