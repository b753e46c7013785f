"""Profiles: totals, charts and achievements, recent code shown to its owner only, who may see
a profile (its owner, or everyone once it is public) and the paged solved list and history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.models import User
from core.profiles import (
    find_learner_by_name,
    load_profile,
    public_learner,
    solved_page,
    solves_page,
    submissions_page,
    view_profile,
    visible_learner,
)
from tests.support.catalogue import GUILD_B, add_task
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.learners import ACCEPT, make_learner, solve
from tests.support.rows import make_public

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
    await make_public(sessions, user)
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


async def test_a_private_profile_is_seen_by_its_owner_only(
    sessions: Sessions, clock: Clock
) -> None:
    """A learner known only from Discord has no public profile: nobody else finds it, by page,
    card or API, until they opt in; they see their own."""
    user = await make_learner(sessions, 1)
    await solve(sessions, clock, user, "easy-one")
    async with sessions() as session:
        assert await public_learner(session, "learner1") is None
        assert await visible_learner(session, "learner1", None) is None
        assert await visible_learner(session, "learner1", user + 1) is None
        assert await view_profile(session, "learner1", None, now=clock.now) is None
        own = await view_profile(session, "Learner1", user, now=clock.now)
    assert own is not None
    assert (own.own, own.profile.public) == (True, False)
    await make_public(sessions, user)
    async with sessions() as session:
        found = await public_learner(session, "LEARNER1")
        anyone = await view_profile(session, "learner1", None, now=clock.now)
    assert found is not None
    assert found.id == user
    assert anyone is not None
    assert (anyone.own, anyone.profile.public) == (False, True)


async def test_a_private_namesake_hides_no_public_profile(sessions: Sessions, clock: Clock) -> None:
    """Discord names are not unique: a private learner who joined first under the same name
    leaves the public one reachable, and sees their own page under it."""
    private = await make_learner(sessions, 1)
    public = await make_learner(sessions, 2)
    async with sessions() as session:
        learner = await session.get(User, public)
        assert learner is not None
        learner.display_name, learner.profile_public = "learner1", True
        await session.commit()
    async with sessions() as session:
        anyone = await visible_learner(session, "learner1", None)
        themselves = await visible_learner(session, "learner1", private)
    assert anyone is not None
    assert anyone.id == public
    assert themselves is not None
    assert themselves.id == private


async def test_the_solved_list_and_history_page_latest_first_with_totals(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1, GUILD_B)
    await add_task(sessions, "b-only", GUILD_B, title="Only in B")
    for slug in ("easy-one", "b-only", "easy-two", "hard-one"):
        clock.now += timedelta(hours=1)
        await solve(sessions, clock, user, slug, guild=GUILD_B)
    async with sessions() as session:
        first = await solved_page(session, user, limit=2, offset=0)
        rest = await solved_page(session, user, limit=2, offset=2)
        history = await submissions_page(session, user, include_code=False, limit=2, offset=0)
        own = await submissions_page(session, user, include_code=True, limit=2, offset=2)
    assert [s.slug for s in first.items] == ["hard-one", "easy-two"]
    assert [s.slug for s in rest.items] == ["easy-one"]
    assert (first.total, rest.total) == (3, 3)
    assert [h.task_slug for h in history.items] == ["hard-one", "easy-two"]
    assert [h.code for h in history.items] == [None, None]
    assert history.total == 3
    assert [(h.task_slug, h.code) for h in own.items] == [("easy-one", ACCEPT)]


async def test_a_name_beyond_ascii_finds_its_public_profile(sessions: Sessions) -> None:
    """SQLite folds only ASCII letters: the name as written must still find its learner."""
    async with sessions() as session:
        session.add(User(display_name="Émile Zola", profile_public=True))
        await session.commit()
    async with sessions() as session:
        found = await public_learner(session, "Émile Zola")
        folded = await public_learner(session, "émile ZOLA")
    assert found is not None
    assert found.display_name == "Émile Zola"
    if folded is not None:  # MariaDB folds every letter; SQLite only ASCII ones
        assert folded.id == found.id
