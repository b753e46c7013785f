"""Hints in the task designer: ordered rows added and removed with plain posts, errors at
`hints[n]`, saved versions, export and import that keep them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from core.content.schema import MAX_HINTS
from core.designer.lifecycle import find_task
from core.hints import HINT_RULE
from core.models import Task, TaskVersion
from core.settings import Settings
from tests.support.content_factories import task_document
from tests.support.fake_grader import ScriptedGrader
from tests.support.moderation_site import designer_fields, logged_in, post_designer
from tests.support.site_client import csrf_token

HINTS = ["Read one line with `input()`.", "Print what you read, then print it again."]
LEAKING = "Here it is:\nline = input()\nprint(line)\nprint(line)"
DOCUMENT = task_document()
#: the default test task's reference and wrong solution, as the scripted grader runs them
PROGRAMS = {
    DOCUMENT["solution"]: lambda stdin: (stdin.partition("\n")[0] + "\n") * 2,
    DOCUMENT["wrong_solutions"][0]["code"]: lambda stdin: stdin.partition("\n")[0] + "\n",
}


@pytest.fixture
async def app(site_settings: Settings) -> AsyncIterator[FastAPI]:
    """A site whose designer runs the default test task's programs as scripted."""
    application = create_app(site_settings, grader=ScriptedGrader(programs=PROGRAMS))
    async with application.router.lifespan_context(application):
        yield application


async def _stored(db: async_sessionmaker[AsyncSession], slug: str) -> Task:
    async with db() as session:
        task = await find_task(session, slug)
        assert task is not None
        return task


async def test_hint_rows_are_added_removed_and_saved_in_order(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    empty = (await client.get("/mod/tasks/new")).text
    assert 'name="hints[0]"' not in empty
    assert HINT_RULE.replace("'", "&#39;") in empty
    fields = designer_fields(task_document("hinted", hints=HINTS))
    added = await post_designer(client, "/mod/tasks/new", fields, "add-hint")
    assert added.status_code == 200
    assert 'name="hints[2]"' in added.text
    assert '<label for="hints-2">Hint 3</label>' in added.text
    removed = await post_designer(client, "/mod/tasks/new", fields, "remove-hint-0")
    assert 'name="hints[1]"' not in removed.text
    assert "Print what you read, then print it again.</textarea>" in removed.text
    assert "Read one line" not in removed.text
    saved = await post_designer(client, "/mod/tasks/new", fields, "save")
    assert saved.status_code == 303
    assert (await _stored(db, "hinted")).hints == HINTS
    async with db() as session:
        document = await session.scalar(select(TaskVersion.document))
    assert document is not None
    assert document["hints"] == HINTS
    page = (await client.get("/mod/tasks/hinted/edit")).text
    assert page.index("Read one line with `input()`.</textarea>") < page.index(
        "Print what you read, then print it again.</textarea>"
    )


async def test_hint_errors_are_shown_at_their_row_and_nothing_is_saved(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    fields = designer_fields(task_document("leaky", hints=[*HINTS, LEAKING]))
    leaked = await post_designer(client, "/mod/tasks/new", fields, "save")
    assert leaked.status_code == 400
    assert (
        'id="hints-2-error">repeats lines 1-3 of the reference solution; a hint nudges toward '
        "the answer without giving it</p>" in leaked.text
    )
    assert "Here it is:\nline = input()" in leaked.text  # what was typed is kept
    repeated = designer_fields(
        task_document("leaky", hints=[*HINTS, " read one LINE with `input()`. "])
    )
    answer = await post_designer(client, "/mod/tasks/new", repeated, "save")
    assert 'id="hints-2-error">repeats hint 1; each hint should add something</p>' in answer.text
    blank = await post_designer(client, "/mod/tasks/new", {**fields, "hints[2]": "  \r\n "}, "save")
    assert 'id="hints-2-error">String should have at least 1 character</p>' in blank.text
    async with db() as session:
        assert await session.scalar(select(Task.id)) is None


async def test_a_task_holds_at_most_the_allowed_hints(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    full = [f"Hint number {n}." for n in range(MAX_HINTS)]
    fields = designer_fields(task_document("full", hints=full))
    page = await post_designer(client, "/mod/tasks/new", fields, "preview")
    assert 'value="add-hint"' not in page.text
    assert f"A task has at most {MAX_HINTS} hints." in page.text
    over = await post_designer(
        client, "/mod/tasks/new", {**fields, f"hints[{MAX_HINTS}]": "One more."}, "save"
    )
    assert over.status_code == 400
    assert f'id="hints-error">List should have at most {MAX_HINTS} items' in over.text


async def test_export_then_import_keeps_the_hints(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    fields = designer_fields(task_document("carried", hints=HINTS))
    assert (await post_designer(client, "/mod/tasks/new", fields, "save")).status_code == 303
    exported = await client.get("/mod/tasks/carried/export")
    assert json.loads(exported.text)["hints"] == HINTS
    changed = json.loads(exported.text)
    changed["hints"] = [*HINTS, "Two print calls will do."]
    token = csrf_token((await client.get("/mod/tasks")).text)
    imported = await client.post(
        "/mod/tasks/import",
        data={"csrf_token": token},
        files={"document": ("carried.json", json.dumps(changed).encode(), "application/json")},
    )
    assert imported.status_code == 303, imported.text
    stored = await _stored(db, "carried")
    assert (stored.hints, stored.version) == (changed["hints"], 2)
    again = await client.get("/mod/tasks/carried/export")
    assert json.loads(again.text)["hints"] == changed["hints"]
    leaky = {**changed, "hints": [LEAKING]}
    refused = await client.post(
        "/mod/tasks/import",
        data={"csrf_token": token},
        files={"document": ("carried.json", json.dumps(leaky).encode(), "application/json")},
    )
    assert refused.status_code == 400
    assert "carried.json: hints[0]: repeats lines 1-3 of the reference solution" in refused.text
    assert (await _stored(db, "carried")).version == 2
