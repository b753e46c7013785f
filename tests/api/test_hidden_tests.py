"""No page, download or JSON answer of the site shows a hidden test's data."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import User
from core.submissions.service import Source, SubmissionService
from tests.support.fake_grader import LEAK, SECRETS, ScriptedGrader, load_secret_task
from tests.support.mailbox import Mailbox
from tests.support.site_client import register


async def test_a_submission_that_echoes_a_hidden_test_reveals_it_nowhere(
    client: httpx.AsyncClient,
    mailbox: Mailbox,
    db: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    await load_secret_task(db, tmp_path / "content")
    async with db() as session:
        ada = await session.scalar(select(User.id).where(User.display_name == "Ada"))
        await session.execute(update(User).values(profile_public=True))  # shown in the API too
        await session.commit()
    assert ada is not None
    await SubmissionService(db, ScriptedGrader()).submit(ada, "secret-echo", LEAK, Source.WEB)

    export = await client.get("/account/export")
    assert export.status_code == 200
    (submission,) = json.loads(export.text)["submissions"]
    assert submission["message"] == "runtime error on a hidden test"
    profile = await client.get("/u/Ada")
    assert "Your recent submissions" in profile.text
    answers = [export, profile]
    for path in ("/api/profiles/Ada", "/api/tasks/secret-echo", "/api/tasks", "/tasks/secret-echo"):
        answer = await client.get(path)
        assert answer.status_code == 200, path
        answers.append(answer)
    for answer in answers:
        assert not [secret for secret in SECRETS if secret in answer.text], answer.url
