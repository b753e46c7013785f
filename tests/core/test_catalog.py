"""The catalogue's ordering of the tasks a learner's unnamed code may be for."""

from __future__ import annotations

import pytest

from core.catalog import submission_candidates
from core.submissions.service import Source, SubmissionService
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import make_learner

pytestmark = pytest.mark.usefixtures("content")


async def _solved(sessions: Sessions, clock: Clock, slug: str) -> int:
    learner = await make_learner(sessions, 1)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    assert (await service.submit(learner, slug, "# accept\n", Source.DISCORD)).accepted
    return learner


async def test_unsolved_tasks_come_before_solved_ones(sessions: Sessions, clock: Clock) -> None:
    learner = await _solved(sessions, clock, "easy-one")
    async with sessions() as session:
        candidates = await submission_candidates(session, learner)
    assert [(t.slug, t.solved) for t in candidates] == [
        ("easy-two", False),
        ("hard-one", False),
        ("easy-one", True),
    ]


async def test_todays_challenge_comes_first_and_only_once(sessions: Sessions, clock: Clock) -> None:
    learner = await _solved(sessions, clock, "easy-one")
    async with sessions() as session:
        candidates = await submission_candidates(session, learner, first="hard-one", limit=2)
        unpublished = await submission_candidates(session, learner, first="secret")
    assert [t.slug for t in candidates] == ["hard-one", "easy-two"]
    assert [t.slug for t in unpublished] == ["easy-two", "hard-one", "easy-one"]
