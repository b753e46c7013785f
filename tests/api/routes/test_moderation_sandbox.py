"""The task designer against the real sandbox: validate, fill expected outputs, import."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from core.content.loader import shared_slug_refusal
from core.designer.lifecycle import find_task
from core.models import GLOBAL_CATALOGUE, Task, utcnow
from core.settings import Settings
from sandbox import SandboxPool
from tests.support.content_factories import task_document
from tests.support.moderation_site import (
    add_owned_task,
    designer_fields,
    logged_in,
    post_designer,
    see_moderating,
)
from tests.support.sandbox import make_config
from tests.support.site_client import csrf_token

pytestmark = pytest.mark.docker

SERVER = 990000000000000002

SUM_OF_DIGITS = task_document(
    "sum-of-digits",
    title="Sum of digits",
    statement="Print the sum of the digits of `n`.",
    solution="print(sum(int(c) for c in input().strip()))\n",
    wrong_solutions=[
        {"code": "print(len(input().strip()))\n", "why": "counts the digits instead"},
        {"code": "print(int(input()) % 10)\n", "why": "only the last digit"},
    ],
    tests=[
        {"input": "123\n", "output": "6\n", "hidden": False},
        {"input": "0\n", "output": "0\n", "hidden": True},
        {"input": "99\n", "output": "18\n", "hidden": True},
    ],
)


@pytest.fixture
async def pool(sandbox_image: str) -> AsyncIterator[SandboxPool]:
    """A small sandbox pool of its own for one test."""
    sandbox = SandboxPool(
        make_config(
            sandbox_image, pool_name=f"test-designer-{os.getpid()}", pool_size=2, max_concurrent=2
        )
    )
    await sandbox.start()
    yield sandbox
    await sandbox.close()


@pytest.fixture
async def app(site_settings: Settings, pool: SandboxPool) -> AsyncIterator[FastAPI]:
    """A running site that validates in the test's sandbox pool."""
    application = create_app(site_settings, pool=pool)
    async with application.router.lifespan_context(application):
        yield application


async def _stored(db: async_sessionmaker[AsyncSession], slug: str) -> Task | None:
    async with db() as session:
        return await find_task(session, slug)


async def test_a_good_task_validates_is_saved_and_can_be_published(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    answer = await post_designer(
        client, "/mod/tasks/new", designer_fields(SUM_OF_DIGITS), "validate"
    )
    assert answer.status_code == 200, answer.text
    text = answer.text
    assert "Validation passed. Saved as version 1." in text
    assert 'Validation <span class="verdict-accepted">passed</span>' in text
    assert "Slowest reference test:" in text
    assert "Suggested limit: <strong>1.0 s</strong>" in text
    assert "three times the reference solution&#39;s slowest test" in text
    assert text.count('class="as-expected"') == 3
    assert 'action="/mod/tasks/sum-of-digits/edit"' in text
    stored = await _stored(db, "sum-of-digits")
    assert stored is not None
    assert (stored.version, stored.validated_version, stored.published) == (1, 1, False)

    page = await client.get("/mod/tasks/sum-of-digits/edit")
    published = await client.post(
        "/mod/tasks/sum-of-digits/publish", data={"csrf_token": csrf_token(page.text)}
    )
    assert published.status_code == 303
    assert "Sum of digits" in (await client.get("/tasks")).text
    assert (await client.get("/tasks/sum-of-digits")).status_code == 200


async def test_a_failing_reference_is_reported_per_test_and_not_saved(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    broken = {**SUM_OF_DIGITS, "solution": "n = input().strip()\nprint(1 / (int(n) - 99))\n"}
    answer = await post_designer(client, "/mod/tasks/new", designer_fields(broken), "validate")
    assert answer.status_code == 200
    text = answer.text
    assert "Validation failed, so nothing was saved." in text
    assert "the reference solution does not pass its own tests: test 1: wrong_answer" in text
    assert "3 ✗ runtime_error" in text
    assert "print(1 / (int(n) - 99))" in text
    assert await _stored(db, "sum-of-digits") is None


async def test_a_wrong_solution_that_passes_shows_the_tests_are_weak(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    weak = {**SUM_OF_DIGITS, "tests": SUM_OF_DIGITS["tests"][:1]}
    weak["wrong_solutions"] = [{"code": "print(6)\n", "why": "prints the example's answer"}]
    answer = await post_designer(client, "/mod/tasks/new", designer_fields(weak), "validate")
    assert answer.status_code == 200
    assert (
        "passes every test, so the tests do not catch &#39;prints the example&#39;s answer&#39;"
        in answer.text
    )
    assert 'class="unexpected"' in answer.text
    assert await _stored(db, "sum-of-digits") is None


async def test_fill_expected_outputs_fills_only_empty_cells_and_reports_errors(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    fields = designer_fields(SUM_OF_DIGITS)
    fields.update(
        {
            "solution": "n = input().strip()\nassert n != 'boom', 'no digits'\n"
            "print(sum(int(c) for c in n))\n",
            "tests[0].output": "kept as typed\n",
            "tests[1].output": "",
            "tests[2].output": "  ",
            "tests[3].input": "boom\n",
            "tests[3].output": "",
        }
    )
    answer = await post_designer(client, "/mod/tasks/new", fields, "fill")
    assert answer.status_code == 400
    text = answer.text
    assert "Filled 2 expected outputs from the reference solution." in text
    assert "kept as typed\n</textarea>" in text
    assert 'aria-label="Expected output of test 2">\n0\n</textarea>' in text
    assert 'aria-label="Expected output of test 3">\n18\n</textarea>' in text
    assert (
        "test 4: the reference solution ended with runtime_error (AssertionError: no digits)"
        in text
    )
    assert await _stored(db, "sum-of-digits") is None


async def test_editing_a_published_task_saves_only_validated_changes(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    document = {**SUM_OF_DIGITS, "published": True}
    token = csrf_token((await client.get("/mod/tasks")).text)
    imported = await client.post(
        "/mod/tasks/import",
        data={"csrf_token": token},
        files={"document": ("sum-of-digits.json", json.dumps(document).encode(), "text/json")},
    )
    assert imported.status_code == 303
    assert imported.headers["location"] == "/mod/tasks/sum-of-digits/edit"
    fields = designer_fields(document)
    broken = {**fields, "tests[0].output": "7\n"}
    refused = await post_designer(client, "/mod/tasks/sum-of-digits/edit", broken, "save")
    assert "Validation failed, so nothing was saved." in refused.text
    stored = await _stored(db, "sum-of-digits")
    assert stored is not None
    assert (stored.version, stored.tests[0].output) == (1, "6\n")
    better = {**fields, "tests[3].input": "405\n", "tests[3].output": "9\n"}
    saved = await post_designer(client, "/mod/tasks/sum-of-digits/edit", better, "save")
    assert "Validation passed. Saved as version 2." in saved.text
    stored = await _stored(db, "sum-of-digits")
    assert stored is not None
    assert (stored.version, stored.validated_version, len(stored.tests)) == (2, 2, 4)
    assert stored.published


async def test_export_then_import_gives_the_identical_task(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await logged_in(client, db)
    token = csrf_token((await client.get("/mod/tasks")).text)
    raw = json.dumps(SUM_OF_DIGITS).encode()
    first = await client.post(
        "/mod/tasks/import",
        data={"csrf_token": token},
        files={"document": ("sum-of-digits.json", raw, "application/json")},
    )
    assert first.status_code == 303
    assert (
        "Imported Sum of digits (sum-of-digits)"
        in (await client.get(first.headers["location"])).text
    )
    exported = await client.get("/mod/tasks/sum-of-digits/export")
    assert json.loads(exported.text)["tags"] == SUM_OF_DIGITS["tags"]
    again = await client.post(
        "/mod/tasks/import",
        data={"csrf_token": token},
        files={"document": ("sum-of-digits.json", exported.content, "application/json")},
    )
    assert again.status_code == 303
    assert "Unchanged: Sum of digits" in (await client.get(again.headers["location"])).text
    assert (await client.get("/mod/tasks/sum-of-digits/export")).text == exported.text
    stored = await _stored(db, "sum-of-digits")
    assert stored is not None
    assert (stored.version, stored.validated_version) == (1, 1)


async def test_a_server_moderator_validates_publishes_and_imports_their_servers_tasks(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    user_id = await logged_in(client, db, moderator=False)
    await see_moderating(db, user_id, SERVER, utcnow())
    await add_owned_task(db, GLOBAL_CATALOGUE, "echo-twice")
    address = f"/mod/s/{SERVER}/tasks/sum-of-digits"
    fields = {**designer_fields(SUM_OF_DIGITS), "catalogue": str(SERVER)}
    answer = await post_designer(client, "/mod/tasks/new", fields, "validate")
    assert "Validation passed. Saved as version 1." in answer.text
    assert f'action="{address}/edit"' in answer.text
    published = await client.post(
        f"{address}/publish", data={"csrf_token": csrf_token(answer.text)}
    )
    assert published.headers["location"] == f"{address}/edit"
    async with db() as session:
        task = await find_task(session, "sum-of-digits", owner=SERVER)
        assert task is not None
        assert task.published
        assert await find_task(session, "sum-of-digits") is None

    token = csrf_token((await client.get("/mod/tasks")).text)
    imported = await client.post(
        "/mod/tasks/import",
        data={"csrf_token": token, "catalogue": str(SERVER)},
        files={"document": ("halve.json", json.dumps(_halve()).encode(), "application/json")},
    )
    assert imported.status_code == 303, imported.text
    assert imported.headers["location"] == f"/mod/s/{SERVER}/tasks/halve/edit"
    clash = await client.post(
        "/mod/tasks/import",
        data={"csrf_token": token, "catalogue": str(SERVER)},
        files={"document": ("echo.json", json.dumps(_halve("echo-twice")).encode(), "text/json")},
    )
    assert clash.status_code == 400
    assert shared_slug_refusal("echo-twice").replace("'", "&#39;") in clash.text
    async with db() as session:
        assert await find_task(session, "halve", owner=SERVER) is not None
        shared = await find_task(session, "echo-twice")
        assert shared is not None
        assert shared.title == "Echo twice"
        assert await find_task(session, "echo-twice", owner=SERVER) is None


def _halve(slug: str = "halve") -> dict[str, object]:
    """A small valid task document: print half of an even number."""
    return {
        **SUM_OF_DIGITS,
        "slug": slug,
        "title": "Halve",
        "statement": "Print half of the even number `n`.",
        "solution": "print(int(input()) // 2)\n",
        "wrong_solutions": [{"code": "print(int(input()) * 2)\n", "why": "doubles"}],
        "tests": [
            {"input": "4\n", "output": "2\n", "hidden": False},
            {"input": "10\n", "output": "5\n", "hidden": True},
        ],
    }
