"""The catalogue: listing, filtering and detail of tasks, and the order unnamed code may be for."""

from __future__ import annotations

import pytest

from core.catalog import SolvedFilter, autocomplete, list_tasks, submission_candidates, task_detail
from core.content.schema import Difficulty
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.learners import make_learner, solve

pytestmark = pytest.mark.usefixtures("content")


async def _solved(sessions: Sessions, clock: Clock, slug: str) -> int:
    learner = await make_learner(sessions, 1)
    await solve(sessions, clock, learner, slug, guild=None)
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


async def test_catalogue_filters(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    await solve(sessions, clock, user, "easy-two")
    async with sessions() as session:
        everything, total = await list_tasks(session)
        assert total == 3
        assert [t.slug for t in everything] == ["easy-one", "easy-two", "hard-one"]
        hard, _ = await list_tasks(session, difficulty=Difficulty.HARD)
        assert [t.slug for t in hard] == ["hard-one"]
        open_, _ = await list_tasks(session, status=SolvedFilter.UNSOLVED, user_id=user)
        assert [t.slug for t in open_] == ["easy-one", "hard-one"]
        done, _ = await list_tasks(session, status=SolvedFilter.SOLVED, user_id=user)
        assert [(t.slug, t.solved, t.solve_count) for t in done] == [("easy-two", True, 1)]
        assert (await list_tasks(session, tag="strings"))[1] == 3
        assert (await list_tasks(session, tag="graphs"))[1] == 0
        assert (await list_tasks(session, text="HARD"))[1] == 1
        assert (await list_tasks(session, text="100%_"))[1] == 0
        page, total = await list_tasks(session, limit=1, offset=1)
        assert ([t.slug for t in page], total) == (["easy-two"], 3)
        assert await autocomplete(session, "two") == [("easy-two", "Echo twice")]
        detail = await task_detail(session, "easy-one", user)
        assert detail is not None
        assert [(e.input, e.output) for e in detail.examples] == [("a\n", "a\na\n")]
        assert (detail.hidden_tests, detail.solved) == (1, False)
        assert await task_detail(session, "secret") is None
        assert await task_detail(session, "secret", include_unpublished=True) is not None
