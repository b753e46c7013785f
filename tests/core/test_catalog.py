"""The catalogue: listing, filtering and detail of tasks, and the order unnamed code may be for;
what each server's learners see of the shared catalogue and of the servers' own tasks."""

from __future__ import annotations

import pytest

from core.catalog import (
    GLOBAL_ONLY,
    SolvedFilter,
    all_tags,
    audience_of,
    autocomplete,
    list_tasks,
    owned_task_choices,
    submission_candidates,
    task_detail,
)
from core.content.schema import Difficulty
from core.models import GLOBAL_CATALOGUE
from tests.support.catalogue import GUILD_A, GUILD_B, add_task
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


async def _slugs(sessions: Sessions, guild_id: int | None) -> list[str]:
    async with sessions() as session:
        listed, _ = await list_tasks(session, audience=audience_of(guild_id))
    return [t.slug for t in listed]


def test_an_audience_is_the_shared_catalogue_plus_the_server() -> None:
    assert audience_of(None) == GLOBAL_ONLY == frozenset({GLOBAL_CATALOGUE})
    assert audience_of(GUILD_A) == frozenset({GLOBAL_CATALOGUE, GUILD_A})


async def test_two_servers_have_tasks_with_the_same_slug(sessions: Sessions) -> None:
    await add_task(sessions, "local", GUILD_A, title="Local to A")
    await add_task(sessions, "local", GUILD_B, title="Local to B")
    async with sessions() as session:
        in_a = await task_detail(session, "local", audience=audience_of(GUILD_A))
        in_b = await task_detail(session, "local", audience=audience_of(GUILD_B))
        assert await task_detail(session, "local") is None
    assert in_a is not None
    assert in_b is not None
    assert (in_a.title, in_a.owner_guild_id) == ("Local to A", GUILD_A)
    assert (in_b.title, in_b.owner_guild_id) == ("Local to B", GUILD_B)


async def test_a_server_task_is_seen_only_in_its_server(sessions: Sessions, clock: Clock) -> None:
    await add_task(sessions, "graph-walk", GUILD_A, title="Walk a graph", tags=["graphs"])
    learner = await make_learner(sessions, 1)
    assert await _slugs(sessions, GUILD_A) == ["easy-one", "easy-two", "graph-walk", "hard-one"]
    for elsewhere in (GUILD_B, None):
        assert await _slugs(sessions, elsewhere) == ["easy-one", "easy-two", "hard-one"]
    async with sessions() as session:
        a, b = audience_of(GUILD_A), audience_of(GUILD_B)
        detail = await task_detail(session, "graph-walk", audience=a)
        assert detail is not None
        assert detail.owner_guild_id == GUILD_A
        assert await task_detail(session, "graph-walk", audience=b) is None
        assert await task_detail(session, "graph-walk", include_unpublished=True) is None
        assert await autocomplete(session, "graph", audience=a) == [("graph-walk", "Walk a graph")]
        assert await autocomplete(session, "graph", audience=b) == []
        assert "graphs" in await all_tags(session, audience=a)
        assert "graphs" not in await all_tags(session, audience=b)
        assert "graphs" not in await all_tags(session)
        in_a = await submission_candidates(session, learner, audience=a)
        in_b = await submission_candidates(session, learner, first="graph-walk", audience=b)
    assert "graph-walk" in [t.slug for t in in_a]
    assert "graph-walk" not in [t.slug for t in in_b]


async def test_a_slug_resolves_to_the_shared_catalogue_first(sessions: Sessions) -> None:
    await add_task(sessions, "clash", GUILD_A, title="A's own")
    await add_task(sessions, "clash", title="Shared draft", published=False)
    async with sessions() as session:
        # a global task learners cannot see shadows nothing
        seen = await task_detail(session, "clash", audience=audience_of(GUILD_A))
        assert seen is not None
        assert seen.title == "A's own"
    await add_task(sessions, "clash", title="Shared")
    assert (await _slugs(sessions, GUILD_A)).count("clash") == 1
    async with sessions() as session:
        a = audience_of(GUILD_A)
        seen = await task_detail(session, "clash", audience=a)
        assert seen is not None
        assert (seen.title, seen.owner_guild_id) == ("Shared", 0)
        assert await autocomplete(session, "clash", audience=a) == [("clash", "Shared")]
        # A's moderators still find their own task
        assert await owned_task_choices(session, GUILD_A, "clash") == [("clash", "A's own", True)]


async def test_owned_task_choices_are_one_owners_tasks_drafts_included(
    sessions: Sessions,
) -> None:
    await add_task(sessions, "a-ready", GUILD_A, title="Ready in A")
    await add_task(sessions, "a-draft", GUILD_A, title="Draft in A", published=False)
    await add_task(sessions, "b-task", GUILD_B, title="B in B")
    async with sessions() as session:
        assert await owned_task_choices(session, GUILD_A, "") == [
            ("a-draft", "Draft in A", False),
            ("a-ready", "Ready in A", True),
        ]
        assert await owned_task_choices(session, GUILD_A, "ready") == [
            ("a-ready", "Ready in A", True)
        ]
        assert await owned_task_choices(session, GUILD_B, "", limit=5) == [
            ("b-task", "B in B", True)
        ]
        shared = await owned_task_choices(session, GLOBAL_CATALOGUE, "")
    assert {slug for slug, _, _ in shared} == {"easy-one", "easy-two", "hard-one", "secret"}
    assert ("secret", "Echo twice", False) in shared
