"""Solving from a task page: the code form, the verdict, the cooldown, refusals and outages."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import unescape
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, UploadFile
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from api.routes.solve import UPLOAD_READ_LIMIT, sent_code
from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.cooldown import SUBMISSION_SCOPE, Cooldown
from core.counters import Counters
from core.learners import remember_member
from core.models import Submission, User
from core.settings import Settings
from core.verdicts import SubmissionVerdict
from tests.support.content_factories import task_document
from tests.support.fake_grader import LEAK, SECRETS, ScriptedGrader, load_secret_task
from tests.support.moderation_site import logged_in
from tests.support.rows import add_task
from tests.support.site_client import csrf_token, post_form

TASK = "/tasks/echo-twice"
SUBMIT = "/tasks/echo-twice/submit"
RIGHT = "line = input()\nprint(line)\nprint(line)\n"
ONCE = "line = input()\nprint(line)\n"
TEXTAREA = re.compile(r'<textarea id="code"[^>]*>(.*?)</textarea>', re.S)
SERVER = 333_000_000_000_000_003
DISCORD_ID = 444_000_000_000_000_004


def scripted() -> ScriptedGrader:
    """A grader that runs RIGHT and ONCE as the programs they are."""
    return ScriptedGrader(programs={RIGHT: lambda line: line + line, ONCE: lambda line: line})


def editor_code(html: str) -> str:
    """What the code form's textarea holds."""
    found = TEXTAREA.search(html)
    assert found, "the page has no code form"
    return unescape(found.group(1))


@asynccontextmanager
async def site(settings: Settings, grader: ScriptedGrader) -> AsyncIterator[httpx.AsyncClient]:
    """A visitor of a running site that grades with `grader`."""
    application: FastAPI = create_app(settings, grader=grader)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@pytest.fixture
async def client(site_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A visitor of a site without a cooldown, grading with the scripted grader."""
    settings = site_settings.model_copy(update={"submission_cooldown_s": 0})
    async with site(settings, scripted()) as visitor:
        yield visitor


@pytest.fixture
async def task(db: async_sessionmaker[AsyncSession]) -> None:
    """The task echo-twice: one visible test, one hidden."""
    async with db() as session:
        await add_task(session, "echo-twice", points=10)
        await session.commit()


async def send(
    client: httpx.AsyncClient,
    code: str = RIGHT,
    *,
    shared: bool = False,
    page: str = TASK,
    action: str = SUBMIT,
    upload: bytes | None = None,
) -> httpx.Response:
    """Open the task page and send its code form, as a browser without JavaScript does."""
    opened = await client.get(page)
    assert opened.status_code == 200, opened.text
    fields = {"code": code, "csrf_token": csrf_token(opened.text)}
    if shared:
        fields["shared"] = "true"
    # a browser sends a file input left empty as a part without a file name
    chosen = ("solution.py", upload, "text/x-python") if upload is not None else ("", b"")
    files = {"upload": chosen}
    return await client.post(action, data=fields, files=files)


async def submissions(db: async_sessionmaker[AsyncSession]) -> list[Submission]:
    async with db() as session:
        return list(await session.scalars(select(Submission).order_by(Submission.id)))


async def points_of(db: async_sessionmaker[AsyncSession], user_id: int) -> int:
    async with db() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return user.points


@pytest.mark.usefixtures("task")
async def test_a_signed_out_visitor_is_asked_to_log_in_instead_of_a_form(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    page = await client.get(TASK)
    assert "<textarea" not in page.text
    assert 'href="/login?next=/tasks/echo-twice"' in page.text
    answer = await post_form(client, SUBMIT, {"code": RIGHT})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Ftasks%2Fecho-twice"
    assert await submissions(db) == []


@pytest.mark.usefixtures("task")
async def test_a_wrong_answer_shows_where_it_differs_and_the_fix_earns_the_points(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    learner = await logged_in(client, db, moderator=False)
    first = await client.get(TASK)
    assert editor_code(first.text) == task_document()["template"]
    assert "The starting template." in first.text
    assert 'name="shared" value="true">' in first.text  # not ticked before any choice

    wrong = await send(client, ONCE)
    assert wrong.status_code == 200
    assert "✗ Wrong answer" in wrong.text
    assert "Passed 0 of 2 tests" in wrong.text
    assert "Test 2 (hidden)" in wrong.text
    assert "Your output ends after line 1; line 2 was expected." in wrong.text
    assert "»" in wrong.text  # the numbered excerpt marks the differing line
    assert editor_code(wrong.text) == ONCE
    assert "Total: 0 points." in wrong.text

    right = await send(client, RIGHT, shared=True)
    assert right.status_code == 200
    assert "✓ Accepted" in right.text
    assert "+10 points" in right.text
    assert "Total: 10 points." in right.text
    assert "Shared: learners who solved this task may see this solution." in right.text
    assert "✓ solved" in right.text
    assert await points_of(db, learner) == 10
    stored = await submissions(db)
    assert [(s.source, s.verdict, s.shared) for s in stored] == [
        ("web", SubmissionVerdict.WRONG_ANSWER, False),
        ("web", SubmissionVerdict.ACCEPTED, True),
    ]

    again = await client.get(TASK)
    assert editor_code(again.text) == RIGHT
    assert "Your last submission, ready to edit." in again.text
    assert 'name="shared" value="true" checked>' in again.text
    resent = await send(client, RIGHT, shared=True)
    assert "Already solved before, no new points." in resent.text
    assert await points_of(db, learner) == 10


@pytest.mark.usefixtures("task")
async def test_the_cooldown_refuses_a_second_submission_too_soon(
    site_settings: Settings, db: async_sessionmaker[AsyncSession]
) -> None:
    async with site(site_settings, scripted()) as client:
        await logged_in(client, db, moderator=False)
        assert (await send(client, RIGHT)).status_code == 200
        refused = await send(client, ONCE)
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) in range(1, 11)
        assert "Not so fast: you can submit again in" in refused.text
        assert editor_code(refused.text) == ONCE
    assert len(await submissions(db)) == 1


@pytest.mark.usefixtures("task")
async def test_a_linked_learner_cooling_down_on_discord_waits_on_the_site_too(
    site_settings: Settings, db: async_sessionmaker[AsyncSession], redis_url: str
) -> None:
    settings = site_settings.model_copy(update={"limits_storage_uri": redis_url})
    async with site(settings, scripted()) as client:
        learner = await logged_in(client, db, moderator=False)
        async with db() as session:
            await session.execute(
                update(User).where(User.id == learner).values(discord_id=DISCORD_ID)
            )
            await session.commit()
        counters = Counters(redis_url)
        try:  # the bot's cooldown, as `/submit` starts it for this Discord account
            bot_cooldown = Cooldown(counters, SUBMISSION_SCOPE, settings.submission_cooldown_s)
            assert await bot_cooldown.acquire(DISCORD_ID) == 0
        finally:
            await counters.aclose()
        refused = await send(client, RIGHT)
        assert refused.status_code == 429
    assert await submissions(db) == []


@pytest.mark.usefixtures("task")
async def test_unusable_code_is_refused_in_discords_words_and_frees_the_cooldown(
    site_settings: Settings, db: async_sessionmaker[AsyncSession]
) -> None:
    settings = site_settings.model_copy(update={"max_code_bytes": 1024})
    async with site(settings, scripted()) as client:
        await logged_in(client, db, moderator=False)
        large = await send(client, "# " + "x" * 2048)
        assert large.status_code == 422
        assert "Your code is 2 KB; the limit is 1 KB." in large.text
        empty = await send(client, "  \n")
        assert "Your code is empty." in empty.text
        latin1 = await send(client, "", upload="print('café')\n".encode("latin-1"))
        assert latin1.status_code == 422
        assert "Your code is not valid UTF-8 text (byte 10). Save the file as UTF-8." in latin1.text
        assert editor_code(latin1.text) == task_document()["template"]
        assert await submissions(db) == []
        from_file = await send(client, "ignored", upload=RIGHT.encode())
        assert from_file.status_code == 200  # no cooldown left by the refusals
        assert "✓ Accepted" in from_file.text
        assert editor_code(from_file.text) == RIGHT


async def test_hidden_tests_stay_secret_on_the_verdict(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await load_secret_task(db, tmp_path / "content")
    await logged_in(client, db, moderator=False)
    answer = await send(client, LEAK, page="/tasks/secret-echo", action="/tasks/secret-echo/submit")
    assert answer.status_code == 200
    assert "Test 2 (hidden): ✗ runtime error" in answer.text
    assert "A hidden test failed; its data stays secret." in answer.text
    assert not [secret for secret in SECRETS if secret in answer.text]


@pytest.mark.usefixtures("task")
async def test_a_grader_down_or_busy_asks_to_try_again_and_counts_nothing(
    site_settings: Settings, db: async_sessionmaker[AsyncSession]
) -> None:
    async with site(site_settings, scripted()) as client:
        learner = await logged_in(client, db, moderator=False)
        busy = await send(client, "# busy")
        assert busy.status_code == 503
        assert busy.headers["Retry-After"] == "60"
        assert "Not graded" in busy.text
        assert "The grader is busy right now. Please try again in a minute." in busy.text
        down = await send(client, "# down")  # a busy grader left no cooldown
        assert down.status_code == 503
        assert "The grader is unavailable right now; your submission was kept." in down.text
        assert editor_code(down.text) == "# down"
    assert [s.verdict for s in await submissions(db)] == [SubmissionVerdict.SANDBOX_ERROR] * 2
    assert await points_of(db, learner) == 0


async def test_a_servers_member_solves_its_own_task_for_that_servers_board(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db() as session:
        await add_task(session, "echo-twice", points=10)
        await session.commit()
    learner = await logged_in(client, db, moderator=False)
    async with db() as session:
        await session.execute(update(User).where(User.id == learner).values(discord_id=DISCORD_ID))
        await remember_member(session, SERVER, learner)
        await session.commit()
    async with db() as session:
        document = task_document("server-echo", title="Server echo")
        await upsert_tasks(session, [TaskFile.model_validate(document)], owner=SERVER)
        await session.commit()
    base = f"/s/{SERVER}/tasks/server-echo"
    page = await client.get(base)
    assert f'action="{base}/submit#verdict"' in page.text
    answer = await send(client, RIGHT, page=base, action=f"{base}/submit")
    assert answer.status_code == 200
    assert "✓ Accepted" in answer.text
    assert "points on this server's leaderboard." in answer.text
    assert await points_of(db, learner) == 0  # a server's own task moves no global points
    (stored,) = await submissions(db)
    assert stored.guild_id == SERVER
    outsider = await client.post(
        f"/s/{SERVER + 1}/tasks/server-echo/submit",
        data={"code": RIGHT, "csrf_token": csrf_token(page.text)},
    )
    assert outsider.status_code == 404
    unknown = await send(client, RIGHT, action="/tasks/no-such-task/submit")
    assert unknown.status_code == 404


async def test_an_uploaded_file_is_read_only_as_far_as_any_code_could_go() -> None:
    huge = UploadFile(io.BytesIO(b"#" * (8 * UPLOAD_READ_LIMIT)), filename="huge.py")
    sent = await sent_code(upload=huge)
    assert sent.upload is not None
    assert len(sent.upload) == UPLOAD_READ_LIMIT + 1  # still refused as too large, not held
