"""Progress through the shared catalogue: solved X of N per difficulty and tag, locked
achievements with what they need."""

from __future__ import annotations

import pytest

from core.achievement_progress import Measure, Step
from core.profile_progress import Tally, progress_of
from tests.support.catalogue import GUILD_B, add_task
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.learners import make_learner, solve

pytestmark = pytest.mark.usefixtures("content")


async def test_solved_of_published_shared_tasks_per_difficulty_and_tag(
    sessions: Sessions, clock: Clock
) -> None:
    """Unpublished tasks and a server's own tasks count for neither side."""
    user = await make_learner(sessions, 1, GUILD_B)
    await add_task(sessions, "loops-one", tags=["loops", "strings"], difficulty="medium")
    await add_task(sessions, "b-only", GUILD_B, tags=["loops"])
    await solve(sessions, clock, user, "easy-one", guild=GUILD_B)
    await solve(sessions, clock, user, "loops-one", guild=GUILD_B)
    await solve(sessions, clock, user, "b-only", guild=GUILD_B)
    async with sessions() as session:
        progress = await progress_of(session, user)
    assert progress.by_difficulty == (
        Tally("easy", 1, 2),
        Tally("medium", 1, 1),
        Tally("hard", 0, 1),
    )
    assert progress.skills == (Tally("strings", 2, 4), Tally("loops", 1, 1))
    assert [t.percent for t in progress.skills] == [50, 100]


async def test_locked_achievements_come_with_progress(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    await solve(sessions, clock, user, "easy-one")
    async with sessions() as session:
        progress = await progress_of(session, user)
    assert [(a.slug, a.steps) for a in progress.locked] == [
        ("fifty-points", (Step(Measure.POINTS, 10, 50),)),
        ("hard-hitter", (Step(Measure.HARD, 0, 1),)),
    ]


async def test_a_newcomer_has_every_difficulty_at_zero(sessions: Sessions) -> None:
    user = await make_learner(sessions, 1)
    async with sessions() as session:
        progress = await progress_of(session, user)
    assert [(t.name, t.solved) for t in progress.by_difficulty] == [
        ("easy", 0),
        ("medium", 0),
        ("hard", 0),
    ]
    assert len(progress.locked) == 3
