"""Profiles: totals, charts and achievements, and recent code shown to its owner only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.profiles import find_learner_by_name, load_profile, solves_page, view_profile
from tests.support.catalogue import GUILD_B, add_task
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.learners import ACCEPT, make_learner, solve

pytestmark = pytest.mark.usefixtures("content")


async def test_profile_shows_everything(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    await solve(sessions, clock, user, "easy-one")
    clock.now += timedelta(days=1)
    await solve(sessions, clock, user, "hard-one")
    async with sessions() as session:
        found = await find_learner_by_name(session, "LEARNER1")
        assert found is not None
        profile = await load_profile(session, user, now=clock.now)
        private = await load_profile(session, user, include_code=True, now=clock.now)
    assert profile is not None
    assert private is not None
    assert (profile.points, profile.current_streak, profile.best_streak) == (50, 2, 2)
    assert profile.rank is not None
    assert profile.rank.rank == 1
    assert profile.solved_by_difficulty == {"easy": 1, "hard": 1}
    assert [p for _, p in profile.points_over_time] == [10, 50]
    assert sum(profile.activity.values()) == 2
    assert {a.slug for a in profile.achievements} == {"first-solve", "hard-hitter", "fifty-points"}
    assert [r.code for r in profile.recent] == [None, None]
    assert [r.code for r in private.recent] == [ACCEPT, ACCEPT]


async def test_a_profile_view_shows_code_to_its_owner_only_and_runs_to_today(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    await solve(sessions, clock, user, "easy-one")
    later = clock.now + timedelta(days=3)
    async with sessions() as session:
        assert await view_profile(session, "nobody", None, now=later) is None
        anyone = await view_profile(session, "learner1", None, now=later)
        other = await view_profile(session, "learner1", user + 1, now=later)
        owner = await view_profile(session, "LEARNER1", user, now=later)
    assert anyone is not None
    assert other is not None
    assert owner is not None
    assert (anyone.own, other.own, owner.own) == (False, False, True)
    assert [r.code for r in anyone.profile.recent] == [None]
    assert [r.code for r in other.profile.recent] == [None]
    assert [r.code for r in owner.profile.recent] == [ACCEPT]
    assert owner.today == later.date()
    assert owner.points_until_today() == [(clock.now.date(), 10), (later.date(), 10)]


async def test_a_profile_shows_no_server_task(sessions: Sessions, clock: Clock) -> None:
    """A profile is public and global: a server's own tasks are not shown outside it."""
    user = await make_learner(sessions, 1, GUILD_B)
    await add_task(sessions, "b-only", GUILD_B, title="Only in B")
    await solve(sessions, clock, user, "easy-one", guild=GUILD_B)
    await solve(sessions, clock, user, "b-only", guild=GUILD_B)
    async with sessions() as session:
        profile = await load_profile(session, user, include_code=True, now=clock.now)
    assert profile is not None
    assert (profile.points, profile.solved_total) == (10, 1)
    assert [s.slug for s in profile.solved] == ["easy-one"]
    assert [p for _, p in profile.points_over_time] == [10]
    assert sum(profile.activity.values()) == 1
    assert [r.task_slug for r in profile.recent] == ["easy-one"]


async def test_a_learners_solves_page_latest_first_without_server_tasks(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1, GUILD_B)
    await add_task(sessions, "b-only", GUILD_B, title="Only in B")
    for slug in ("easy-one", "b-only", "easy-two", "hard-one"):
        await solve(sessions, clock, user, slug, guild=GUILD_B)
    async with sessions() as session:
        first = await solves_page(session, user, None, 2)
        rest = await solves_page(session, user, first[-1].solve_id, 2)
    assert [s.solved.slug for s in first] == ["hard-one", "easy-two"]
    assert [s.solved.slug for s in rest] == ["easy-one"]
