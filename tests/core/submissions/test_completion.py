"""Completing a submission applies once: only while it is still pending.

A duplicate result, a grading run twice or one the sweep of interrupted gradings reached first
never flips the recorded verdict nor awards anything; the learner is told what was recorded.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from core.db import session_scope
from core.models import Solve, Submission, User, UserAchievement
from core.submissions.ledger import INTERRUPTED_MESSAGE, fail_interrupted
from core.submissions.service import UNAVAILABLE_MESSAGE, Source, SubmissionService, _Graded
from sandbox import GradeResult, Verdict
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import GUILD, make_learner

pytestmark = pytest.mark.usefixtures("content")

ACCEPT = "# accept\n"
WRONG = "# wrong\n"
#: prints one line too many
OFF_BY_ONE = "print(input()); print(input()); print('x')\n"
#: what easy-one earns on a first solve
EASY_POINTS = 10


async def _recorded(sessions: Sessions) -> tuple[str, int, int, int]:
    """The one submission's verdict, the solves, the learner's points and achievements."""
    async with sessions() as session:
        (verdict,) = await session.scalars(select(Submission.verdict))
        solves = await session.scalar(select(func.count()).select_from(Solve))
        points = await session.scalar(select(User.points))
        unlocked = await session.scalar(select(func.count()).select_from(UserAchievement))
    return verdict, int(solves or 0), int(points or 0), int(unlocked or 0)


async def _pending_with_results(
    service: SubmissionService, user: int
) -> tuple[_Graded, GradeResult, GradeResult]:
    """A submission of easy-one recorded as pending, and an accepted and a wrong result for it
    (as two deliveries of its grading would bring them)."""
    pending = await service._record_pending(
        user, "easy-one", ACCEPT, Source.DISCORD, GUILD, shared=False
    )
    grader = ScriptedGrader()
    return (
        pending,
        await grader.grade(ACCEPT, pending.cases, pending.comparison, pending.limits),
        await grader.grade(WRONG, pending.cases, pending.comparison, pending.limits),
    )


async def test_a_second_result_keeps_the_first_verdict_and_awards_once(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    pending, accepted, wrong = await _pending_with_results(service, user)

    first = await service._award(pending, accepted)
    again = await service._award(pending, wrong)

    assert (first.verdict, first.first_solve, first.points_gained) == (
        Verdict.ACCEPTED,
        True,
        EASY_POINTS,
    )
    assert first.achievements
    assert (again.verdict, again.first_solve, again.points_gained, again.achievements) == (
        Verdict.ACCEPTED,
        False,
        0,
        (),
    )
    assert again.tests == first.tests  # the recorded results, not the late ones
    assert again.total_points == EASY_POINTS
    assert await _recorded(sessions) == ("accepted", 1, EASY_POINTS, 1)


async def test_a_late_result_tells_where_the_recorded_wrong_answer_differed(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    pending, accepted, _ = await _pending_with_results(service, user)
    off_by_one = ScriptedGrader(programs={OFF_BY_ONE: lambda stdin: f"{stdin}{stdin}x\n"})
    wrong = await off_by_one.grade(OFF_BY_ONE, pending.cases, pending.comparison)

    first = await service._award(pending, wrong)
    again = await service._award(pending, accepted)

    difference = first.tests[0].difference
    assert difference is not None
    assert difference.position == 3
    assert again.tests == first.tests  # the difference as stored with the submission
    assert await _recorded(sessions) == ("wrong_answer", 0, 0, 0)


async def test_a_late_accepted_result_after_a_wrong_one_awards_nothing(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    pending, accepted, wrong = await _pending_with_results(service, user)

    await service._award(pending, wrong)
    late = await service._award(pending, accepted)

    assert (late.verdict, late.points_gained, late.first_solve) == (Verdict.WRONG_ANSWER, 0, False)
    assert late.passed_count == 1
    assert await _recorded(sessions) == ("wrong_answer", 0, 0, 0)


async def test_racing_results_of_one_submission_award_once(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    pending, accepted, wrong = await _pending_with_results(service, user)

    outcomes = await asyncio.gather(
        *(service._award(pending, result) for result in [accepted, wrong] * 4)
    )

    verdict, solves, points, _ = await _recorded(sessions)
    assert {o.verdict.value for o in outcomes} == {verdict}
    assert sum(o.points_gained for o in outcomes) == points == EASY_POINTS * solves
    assert sum(o.first_solve for o in outcomes) == solves


async def test_a_late_result_after_the_sweep_keeps_the_interruption(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)

    async def sweep_meanwhile() -> None:
        async with session_scope(sessions) as session:
            assert len(await fail_interrupted(session)) == 1

    service = SubmissionService(sessions, ScriptedGrader(sweep_meanwhile), clock=clock)
    outcome = await service.submit(user, "easy-one", ACCEPT, Source.DISCORD, GUILD)

    assert (outcome.verdict, outcome.message) == (Verdict.SANDBOX_ERROR, INTERRUPTED_MESSAGE)
    assert (outcome.points_gained, outcome.first_solve, outcome.achievements) == (0, False, ())
    assert (outcome.tests, outcome.busy) == ((), False)
    assert await _recorded(sessions) == ("sandbox_error", 0, 0, 0)


async def test_a_grading_failure_never_overwrites_a_recorded_verdict(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    pending, accepted, _ = await _pending_with_results(service, user)
    graded = await service._award(pending, accepted)

    failed = await service._fail(pending, UNAVAILABLE_MESSAGE)

    assert (failed.verdict, failed.message, failed.tests) == (
        Verdict.ACCEPTED,
        None,
        graded.tests,
    )
    assert (failed.points_gained, failed.total_points) == (0, EASY_POINTS)
    assert await _recorded(sessions) == ("accepted", 1, EASY_POINTS, 1)


async def test_busy_after_the_sweep_tells_the_interruption(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)

    async def sweep_meanwhile() -> None:
        async with session_scope(sessions) as session:
            await fail_interrupted(session)

    service = SubmissionService(sessions, ScriptedGrader(sweep_meanwhile), clock=clock)
    outcome = await service.submit(user, "easy-one", "# busy\n", Source.DISCORD, GUILD)

    assert (outcome.verdict, outcome.message, outcome.busy) == (
        Verdict.SANDBOX_ERROR,
        INTERRUPTED_MESSAGE,
        False,
    )
    async with sessions() as session:
        assert await session.scalar(select(Submission.message)) == INTERRUPTED_MESSAGE
