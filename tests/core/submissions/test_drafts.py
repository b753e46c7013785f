"""The code a learner starts from: their last submission for the task, else its template."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.catalog import GLOBAL_ONLY
from core.db import session_scope
from core.models import Submission, Task, utcnow
from core.submissions.drafts import Draft, starting_code
from tests.support.databases import Sessions
from tests.support.learners import make_learner

pytestmark = pytest.mark.usefixtures("content")

TEMPLATE = "line = input()\n# your code here\n"


async def _submit(sessions: Sessions, user: int, slug: str, code: str, minutes: int) -> None:
    async with session_scope(sessions) as session:
        task = await session.scalar(select(Task).where(Task.slug == slug))
        assert task is not None
        session.add(
            Submission(
                user_id=user,
                task_id=task.id,
                source="discord",
                code=code,
                verdict="wrong_answer",
                created_at=utcnow() - timedelta(minutes=minutes),
            )
        )


async def test_last_submission_of_that_learner_for_that_task(sessions: Sessions) -> None:
    ada, bob = await make_learner(sessions, 1), await make_learner(sessions, 2)
    await _submit(sessions, ada, "easy-one", "first try\n", minutes=5)
    await _submit(sessions, ada, "easy-one", "second try\n", minutes=1)
    await _submit(sessions, bob, "easy-two", "bob's\n", minutes=1)
    async with sessions() as session:
        assert await starting_code(session, ada, "easy-one", GLOBAL_ONLY) == Draft(
            "easy-one", "Echo twice", "second try\n", previous=True
        )
        assert await starting_code(session, ada, "easy-two", GLOBAL_ONLY) == Draft(
            "easy-two", "Echo twice", TEMPLATE, previous=False
        )
        assert await starting_code(session, None, "easy-one", GLOBAL_ONLY) == Draft(
            "easy-one", "Echo twice", TEMPLATE, previous=False
        )


async def test_no_draft_for_an_unpublished_or_unknown_task(sessions: Sessions) -> None:
    learner = await make_learner(sessions, 3)
    async with sessions() as session:
        assert await starting_code(session, learner, "secret", GLOBAL_ONLY) is None
        assert await starting_code(session, learner, "no-such-task", GLOBAL_ONLY) is None


async def test_a_draft_reads_the_task_and_the_last_try_only(
    engine: AsyncEngine, sessions: Sessions
) -> None:
    """A code box must show within Discord's 3 seconds: the task's tests and tags stay unread."""
    ada = await make_learner(sessions, 4)
    await _submit(sessions, ada, "easy-one", "first try\n", minutes=5)
    reads: list[str] = []

    def count(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with sessions() as session:
            draft = await starting_code(session, ada, "easy-one", GLOBAL_ONLY)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert draft is not None
    assert draft.code == "first try\n"
    assert len(reads) == 2, reads
