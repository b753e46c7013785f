"""The ledger: gradings a restart interrupted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db import session_scope
from core.models import Submission
from core.submissions.ledger import fail_interrupted
from core.submissions.service import Source, SubmissionService
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import make_learner

pytestmark = pytest.mark.usefixtures("content")


async def test_interrupted_gradings_become_sandbox_errors(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    with pytest.raises(RuntimeError):
        await service.submit(user, "easy-one", "# crash\n", Source.WEB)
    async with session_scope(sessions) as session:
        failed = await fail_interrupted(session)
    assert [s.user_id for s in failed] == [user]
    async with sessions() as session:
        submission = await session.scalar(select(Submission))
        assert submission is not None
        assert submission.verdict == "sandbox_error"
        assert "restarted" in (submission.message or "")
    async with session_scope(sessions) as session:
        assert await fail_interrupted(session) == []
