"""The task designer without the sandbox: rights, CSRF, forms, rows, preview, versions, export."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from core.content.files import parse_document
from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.designer.lifecycle import current_task_file, export_json, find_task
from core.models import Task, TaskVersion
from core.settings import Settings
from tests.support.content_factories import task_document
from tests.support.moderation_site import designer_fields, logged_in, post_designer
from tests.support.rows import add_task
from tests.support.site_client import csrf_token

DATA_TASKS = Path(__file__).resolve().parents[3] / "data" / "tasks"
PAGES = ["/mod/tasks", "/mod/tasks/new", "/mod/tasks/echo-twice/edit"]
#: a server's task page: those who curate nothing are refused before anything is looked up
SERVER_PAGE = "/mod/s/990000000000000002/tasks/echo-twice/edit"
FORMS = [
    "/mod/tasks/new",
    "/mod/tasks/echo-twice/edit",
    "/mod/tasks/echo-twice/publish",
    "/mod/tasks/echo-twice/unpublish",
    "/mod/s/990000000000000002/tasks/echo-twice/publish",
    "/mod/tasks/import",
]


async def _seed(db: async_sessionmaker[AsyncSession]) -> None:
    async with db() as session:
        await add_task(session, "echo-twice")
        await session.commit()


async def _stored(db: async_sessionmaker[AsyncSession], slug: str) -> Task:
    async with db() as session:
        task = await find_task(session, slug)
        assert task is not None
        return task


async def test_anonymous_visitors_are_sent_to_log_in(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    for path in [*PAGES, "/mod/tasks/echo-twice/export"]:
        answer = await client.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == f"/login?next={path.replace('/', '%2F')}"


async def test_learners_get_a_friendly_403(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    await logged_in(client, db, moderator=False, email="learner@example.com", name="Lin")
    for path in [*PAGES, SERVER_PAGE, "/mod/tasks/echo-twice/export"]:
        answer = await client.get(path)
        assert answer.status_code == 403, path
        assert "These pages are for the people who write tasks." in answer.text
        assert "Traceback" not in answer.text
    token = csrf_token((await client.get("/account")).text)
    for path in FORMS:
        answer = await client.post(path, data={"csrf_token": token, "action": "save"})
        assert answer.status_code == 403, path
    assert (await _stored(db, "echo-twice")).published


async def test_moderators_see_every_page(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    await logged_in(client, db)
    for path in PAGES:
        answer = await client.get(path)
        assert answer.status_code == 200, path
        token = csrf_token(answer.text)
        assert answer.text.count("<form") == answer.text.count(f'value="{token}"'), path
    listing = (await client.get("/mod/tasks")).text
    assert "Echo twice" in listing
    assert "published" in listing
    assert "v1" in listing
    edit = (await client.get("/mod/tasks/echo-twice/edit")).text
    assert "Read a line and print it twice." in edit
    assert 'name="tests[1].hidden" value="1" aria-label="Test 2 is hidden" checked' in edit
    assert (await client.get("/mod/tasks/nothing-here/edit")).status_code == 404


async def test_designer_forms_refuse_posts_without_a_csrf_token(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    await logged_in(client, db)
    fields = designer_fields(task_document("echo-twice", title="Changed"))
    for path in FORMS:
        answer = await client.post(path, data={**fields, "action": "save"})
        assert answer.status_code == 403, path
        assert "This form expired or did not come from this site." in answer.text
    stored = await _stored(db, "echo-twice")
    assert (stored.title, stored.version, stored.published) == ("Echo twice", 1, True)


async def test_a_draft_is_saved_as_versions_with_their_author(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    fields = designer_fields(task_document("shout", title="Shout"))
    created = await post_designer(client, "/mod/tasks/new", fields, "save")
    assert created.status_code == 303
    assert created.headers["location"] == "/mod/tasks/shout/edit"
    page = (await client.get("/mod/tasks/shout/edit")).text
    assert "Saved as version 1." in page
    assert "draft" in page
    assert "not validated" in page

    again = await post_designer(client, "/mod/tasks/shout/edit", fields, "save")
    assert again.status_code == 303
    assert "No changes to save." in (await client.get("/mod/tasks/shout/edit")).text

    changed = await post_designer(
        client, "/mod/tasks/shout/edit", {**fields, "title": "Shout louder"}, "save"
    )
    assert changed.status_code == 303
    page = (await client.get("/mod/tasks/shout/edit")).text
    assert "Saved as version 2." in page
    assert page.count("<td>Grace</td>") == 2
    stored = await _stored(db, "shout")
    assert (stored.version, stored.published, stored.validated_version) == (2, False, None)
    assert stored.statement == task_document("shout")["statement"]
    learner_list = (await client.get("/tasks")).text
    assert "Shout louder" not in learner_list
    assert "Shout louder" in (await client.get("/mod/tasks")).text


async def test_a_new_task_cannot_take_an_existing_slug(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(db)
    await logged_in(client, db)
    fields = designer_fields(task_document("echo-twice", title="Impostor"))
    answer = await post_designer(client, "/mod/tasks/new", fields, "save")
    assert answer.status_code == 400
    assert "A task with the slug &#39;echo-twice&#39; already exists." in answer.text
    assert (await _stored(db, "echo-twice")).title == "Echo twice"


async def test_errors_are_shown_by_field_and_nothing_typed_is_lost(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    fields = designer_fields(task_document("Bad Slug!", title=""))
    fields.update(
        {
            "limits.time_s": "fast",
            "tests[0].input": "kept <input>\n",
            "tests[0].hidden": "1",
            "tests[1].hidden": "1",
            "tags": "ok, Not A Tag",
        }
    )
    answer = await post_designer(client, "/mod/tasks/new", fields, "save")
    assert answer.status_code == 400
    text = answer.text
    assert 'id="slug-error">String should match pattern' in text
    assert 'id="title-error">String should have at least 1 character' in text
    assert 'id="limits-time_s-error">Input should be a valid number' in text
    assert 'id="tags-error">String should match pattern' in text
    assert "at least one test must be visible" in text
    assert 'value="Bad Slug!"' in text
    assert "kept &lt;input&gt;\n</textarea>" in text
    assert 'value="fast"' in text
    async with db() as session:
        assert await session.scalar(select(Task.id)) is None


async def test_rows_are_added_and_removed_with_plain_posts(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    fields = designer_fields(task_document("rows"))
    added = await post_designer(client, "/mod/tasks/new", fields, "add-test")
    assert added.status_code == 200
    assert 'name="tests[2].input"' in added.text
    removed = await post_designer(client, "/mod/tasks/new", fields, "remove-test-0")
    assert 'name="tests[1].input"' not in removed.text
    assert "xyz\n</textarea>" in removed.text
    more = await post_designer(client, "/mod/tasks/new", fields, "add-wrong")
    assert 'name="wrong_solutions[1].code"' in more.text
    fewer = await post_designer(client, "/mod/tasks/new", fields, "remove-wrong-0")
    assert 'name="wrong_solutions[0].code"' not in fewer.text
    saved = await post_designer(
        client, "/mod/tasks/new", {**fields, "wrong_solutions[0].why": ""}, "save"
    )
    assert saved.status_code == 400
    assert 'id="wrong_solutions-0-why-error"' in saved.text


async def test_the_preview_renders_markdown_and_strips_markup(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    fields = designer_fields(
        task_document(
            "preview",
            statement="Print **twice**.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2))",
        )
    )
    answer = await post_designer(client, "/mod/tasks/new", fields, "preview")
    assert answer.status_code == 200
    preview = answer.text.split('id="statement-preview"', 1)[1]
    assert "<strong>twice</strong>" in preview
    assert "<script>" not in preview
    assert "&lt;script&gt;" in preview
    assert 'href="javascript' not in preview


async def test_publishing_needs_a_validated_current_version(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    fields = designer_fields(task_document("unproved"))
    assert (await post_designer(client, "/mod/tasks/new", fields, "save")).status_code == 303
    page = await client.get("/mod/tasks/unproved/edit")
    answer = await client.post(
        "/mod/tasks/unproved/publish", data={"csrf_token": csrf_token(page.text)}
    )
    assert answer.status_code == 303
    shown = (await client.get("/mod/tasks/unproved/edit")).text
    assert "Version 1 has not passed validation yet. Validate it, then publish." in shown
    assert not (await _stored(db, "unproved")).published


async def test_unpublish_and_republish_keep_versions_and_validation(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db() as session:
        await upsert_tasks(
            session, [TaskFile.model_validate(task_document("proved"))], validated=True
        )
        await session.commit()
    await logged_in(client, db)
    for action, published, version in (("unpublish", False, 2), ("publish", True, 3)):
        page = await client.get("/mod/tasks/proved/edit")
        answer = await client.post(
            f"/mod/tasks/proved/{action}", data={"csrf_token": csrf_token(page.text)}
        )
        assert answer.status_code == 303
        stored = await _stored(db, "proved")
        assert (stored.published, stored.version, stored.validated_version) == (
            published,
            version,
            version,
        )
    shown = (await client.get("/mod/tasks/proved/edit")).text
    assert "Echo twice is published: learners can see and solve it." in shown
    assert '<span class="status status-published">published</span>' in shown


async def test_export_is_the_task_file_of_the_current_version(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    document = task_document("exported", tags=["strings", "math"], points=15)
    async with db() as session:
        await upsert_tasks(session, [TaskFile.model_validate(document)])
        await session.commit()
    await logged_in(client, db)
    answer = await client.get("/mod/tasks/exported/export")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="exported.json"'
    assert answer.headers["content-type"].startswith("application/json")
    assert json.loads(answer.text) == TaskFile.model_validate(document).model_dump(mode="json")
    assert answer.text == export_json(TaskFile.model_validate(document))


async def test_an_import_with_problems_names_each_field_and_saves_nothing(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    broken = task_document("broken", difficulty="impossible")
    del broken["title"]
    token = csrf_token((await client.get("/mod/tasks")).text)
    answer = await client.post(
        "/mod/tasks/import",
        data={"csrf_token": token},
        files={"document": ("broken.json", json.dumps(broken).encode(), "application/json")},
    )
    assert answer.status_code == 400
    assert "broken.json: title: Field required" in answer.text
    assert "broken.json: difficulty: Input should be" in answer.text
    not_json = await client.post(
        "/mod/tasks/import",
        data={"csrf_token": token},
        files={"document": ("notes.json", b"{nope", "application/json")},
    )
    assert not_json.status_code == 400
    assert "notes.json: (file): invalid JSON at line 1 column 2" in not_json.text
    empty = await client.post("/mod/tasks/import", data={"csrf_token": token})
    assert empty.status_code == 400
    assert "Choose a task file (JSON) to import." in empty.text
    async with db() as session:
        assert await session.scalar(select(Task.id)) is None


async def test_every_shipped_task_exports_as_its_file(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    paths = sorted(DATA_TASKS.glob("*.json"))
    assert len(paths) > 50
    parsed = []
    for path in paths:
        task, problems = parse_document(path.name, path.read_bytes(), TaskFile)
        assert task is not None, problems
        parsed.append(task)
    async with sessions() as session:
        await upsert_tasks(session, parsed, saved_by=None)
        await session.commit()
    async with sessions() as session:
        for task in parsed:
            row = await find_task(session, task.slug)
            assert row is not None
            exported = await current_task_file(session, row)
            assert exported.model_dump(mode="json") == task.model_dump(mode="json"), task.slug
        again = await upsert_tasks(session, parsed)
        assert (again.created, again.updated, again.unchanged) == ([], [], len(parsed))
        versions = await session.scalars(select(TaskVersion.version))
        assert set(versions) == {1}


async def test_without_a_sandbox_validation_says_so_and_keeps_the_form(
    site_settings: Settings, db: async_sessionmaker[AsyncSession]
) -> None:
    settings = site_settings.model_copy(
        update={"sandbox_image": "codestreak-sandbox:missing", "sandbox_pool_name": "test-none"}
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            await logged_in(client, db)
            fields = designer_fields(task_document("no-sandbox", title="Kept title"))
            fields["tests[1].output"] = ""
            for action in ("validate", "fill"):
                answer = await post_designer(client, "/mod/tasks/new", fields, action)
                assert answer.status_code == 503
                assert "The sandbox could not run the programs:" in answer.text
                assert 'value="Kept title"' in answer.text
                assert "Traceback" not in answer.text
    async with db() as session:
        assert await session.scalar(select(Task.id)) is None
