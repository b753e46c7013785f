"""The ledger: gradings a restart or a lost process interrupted, swept by compare-and-set."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.db import session_scope
from core.models import Solve, Submission, User
from core.submissions.ledger import fail_interrupted
from core.submissions.outcome import SubmissionOutcome
from core.submissions.service import Source, SubmissionService
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import make_learner

pytestmark = pytest.mark.usefixtures("content")

#: races of one completion against one sweep; each order is also forced once
RACES = 34


async def _crash_pending(sessions: Sessions, clock: Clock, user: int) -> int:
    """A submission left pending by a grading that never came back; its id."""
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    with pytest.raises(RuntimeError):
        await service.submit(user, "easy-one", "# crash\n", Source.WEB)
    async with sessions() as session:
        return int(await session.scalar(select(func.max(Submission.id))) or 0)


async def _verdicts(sessions: Sessions) -> dict[int, str]:
    async with sessions() as session:
        return dict((await session.execute(select(Submission.id, Submission.verdict))).all())


async def test_interrupted_gradings_become_sandbox_errors(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    await _crash_pending(sessions, clock, user)
    async with session_scope(sessions) as session:
        failed = await fail_interrupted(session)
    assert [(s.user_id, s.verdict) for s in failed] == [(user, "sandbox_error")]
    async with sessions() as session:
        submission = await session.scalar(select(Submission))
        assert submission is not None
        assert submission.verdict == "sandbox_error"
        assert "restarted" in (submission.message or "")
    async with session_scope(sessions) as session:
        assert await fail_interrupted(session) == []


async def test_a_cutoff_spares_fresh_pending_submissions(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    old = await _crash_pending(sessions, clock, user)
    clock.now += timedelta(minutes=10)
    fresh = await _crash_pending(sessions, clock, user)

    async with session_scope(sessions) as session:
        swept = await fail_interrupted(session, older_than=clock.now - timedelta(minutes=5))
    assert [s.id for s in swept] == [old]
    assert await _verdicts(sessions) == {old: "sandbox_error", fresh: "pending"}

    async with session_scope(sessions) as session:  # at start-up, with its own pool: all
        assert [s.id for s in await fail_interrupted(session)] == [fresh]
    assert await _verdicts(sessions) == {old: "sandbox_error", fresh: "sandbox_error"}


async def test_the_sweep_leaves_completed_submissions_alone(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    graded = await service.submit(user, "easy-one", "# wrong\n", Source.WEB)
    async with session_scope(sessions) as session:
        assert await fail_interrupted(session, older_than=clock.now + timedelta(hours=1)) == []
    assert await _verdicts(sessions) == {graded.submission_id: "wrong_answer"}


async def _sweep(sessions: Sessions, delay_s: float = 0.0) -> list[int]:
    """The start-up sweep in a transaction of its own, after `delay_s`; the ids it marked."""
    await asyncio.sleep(delay_s)
    async with session_scope(sessions) as session:
        return [s.id for s in await fail_interrupted(session)]


async def _race(sessions: Sessions, clock: Clock, race: int) -> tuple[SubmissionOutcome, bool]:
    """One accepted submission whose completion races a sweep; its outcome and whether the
    sweep reported it. Race 0 sweeps surely first, race 1 completes surely first, the others
    start both at once, each after a delay of 0 to 1.5 ms (all pairs in turn)."""
    user = await make_learner(sessions, 100 + race)
    sweeps: list[asyncio.Task[list[int]]] = []

    async def start_the_sweep() -> None:
        if race != 1:
            sweeps.append(asyncio.create_task(_sweep(sessions, 0.0005 * (race % 4))))
        if race == 0:
            await sweeps[0]
        await asyncio.sleep(0.0005 * (race // 4 % 4))

    service = SubmissionService(sessions, ScriptedGrader(start_the_sweep), clock=clock)
    outcome = await service.submit(user, "easy-one", "# accept\n", Source.WEB)
    if race == 1:
        sweeps.append(asyncio.create_task(_sweep(sessions)))
    (swept,) = await asyncio.gather(*sweeps)
    return outcome, outcome.submission_id in swept


async def test_a_sweep_racing_a_completion_never_flips_the_verdict(
    sessions: Sessions, clock: Clock
) -> None:
    """One completion and one sweep of the same submission in concurrent transactions: exactly
    one of them decides, whichever comes first, and what the learner is told, what the sweep
    reports and what is stored (verdict, solve, points) all agree."""
    winners = []
    for race in range(RACES):
        outcome, swept = await _race(sessions, clock, race)
        async with sessions() as session:
            stored = (
                await session.execute(
                    select(Submission.verdict, func.count(Solve.id), User.points)
                    .join(User, User.id == Submission.user_id)
                    .outerjoin(Solve, Solve.submission_id == Submission.id)
                    .where(Submission.id == outcome.submission_id)
                    .group_by(Submission.verdict, User.points)
                )
            ).one()
        told = (outcome.verdict.value, outcome.points_gained)
        if swept:
            assert tuple(stored) == ("sandbox_error", 0, 0), race
            assert told == ("sandbox_error", 0), race
        else:
            assert tuple(stored) == ("accepted", 1, 10), race
            assert told == ("accepted", 10), race
        winners.append("sweep" if swept else "completion")
    assert {"sweep", "completion"} <= set(winners[2:]), winners  # both won while racing
