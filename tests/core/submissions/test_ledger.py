"""The ledger: streaks recomputed from it, and gradings a restart interrupted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import session_scope
from core.models import Submission, User
from core.submissions.ledger import fail_interrupted, recompute_streak
from core.submissions.service import Source, SubmissionService
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import make_learner, solve

pytestmark = pytest.mark.usefixtures("content")


async def test_streak_recompute_matches_the_flow(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    for step in [0, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 2, 1]:
        clock.now += timedelta(days=step)
        await solve(sessions, clock, user, "easy-one")
    async with sessions() as session:
        stored = await session.get(User, user)
        derived = await recompute_streak(session, user)
    assert stored is not None
    assert (stored.current_streak, stored.best_streak, stored.streak_freezes) == (
        derived.current,
        derived.best,
        derived.freezes,
    )
    assert stored.last_active_day == derived.last_day
    assert (derived.best, derived.current) == (10, 10)  # day 14 bridged by a freeze


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
