"""Shared solutions of a task: only for those who solved it (or curate it), one per author,
most voted first, with one vote of each kind per learner, hidden by moderators, withdrawn by
their authors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import session_scope
from core.models import ModeratorRight, SolutionVote, Submission, Task, User, VoteKind, utcnow
from core.solutions import (
    PAGE_SIZE,
    SolutionMissing,
    SolutionRefused,
    SolutionsPage,
    Viewer,
    hide,
    solutions_of,
    stop_sharing,
    unhide,
    viewer_of,
    vote,
)
from core.submissions.service import Source, SubmissionService
from core.verdicts import SubmissionVerdict
from tests.support.catalogue import GUILD_A, GUILD_B, add_task
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import ACCEPT, GUILD, make_learner
from tests.support.solutions import add_person, add_solution

CLEVER, BEST = VoteKind.CLEVER, VoteKind.BEST_PRACTICE


async def _viewer(sessions: Sessions, user_id: int | None, task_id: int) -> Viewer:
    async with sessions() as session:
        user = None if user_id is None else await session.get(User, user_id)
        task = await session.get(Task, task_id)
        assert task is not None
        return await viewer_of(session, user, task, (), utcnow())


async def _listed(
    sessions: Sessions, viewer: Viewer, task_id: int, page: int = 1, hidden: bool = False
) -> SolutionsPage:
    async with sessions() as session:
        task = await session.get(Task, task_id)
        assert task is not None
        return await solutions_of(session, task, viewer, page, hidden=hidden)


async def _codes(sessions: Sessions, viewer: Viewer, task_id: int) -> list[str]:
    return [s.code for s in (await _listed(sessions, viewer, task_id)).solutions]


async def _vote(
    sessions: Sessions,
    voter: int,
    task_id: int,
    submission_id: int,
    kind: VoteKind,
    voted: bool = True,
) -> None:
    viewer = await _viewer(sessions, voter, task_id)
    async with session_scope(sessions) as session:
        task = await session.get(Task, task_id)
        assert task is not None
        await vote(session, viewer, task, submission_id, kind, voted)


async def _moderate(
    sessions: Sessions, moderator: int, task_id: int, submission_id: int, hidden: bool
) -> None:
    viewer = await _viewer(sessions, moderator, task_id)
    async with session_scope(sessions) as session:
        task = await session.get(Task, task_id)
        assert task is not None
        if hidden:
            await hide(session, viewer, task, submission_id, utcnow())
        else:
            await unhide(session, viewer, task, submission_id)


async def _curator(sessions: Sessions, name: str = "Curie") -> int:
    """An appointed curator of the shared catalogue who solved nothing."""
    user_id = await add_person(sessions, name)
    async with session_scope(sessions) as session:
        user = await session.get(User, user_id)
        assert user is not None
        user.is_curator = True
    return user_id


async def _server_moderator(sessions: Sessions, guild_id: int, name: str = "Mo") -> int:
    """A learner seen moderating `guild_id` an hour ago."""
    user_id = await add_person(sessions, name)
    async with session_scope(sessions) as session:
        session.add(
            ModeratorRight(
                user_id=user_id, guild_id=guild_id, last_seen_at=utcnow() - timedelta(hours=1)
            )
        )
    return user_id


async def test_nothing_is_shown_before_solving(sessions: Sessions) -> None:
    task_id = await add_task(sessions, "echo-twice")
    author = await add_person(sessions, "ada")
    await add_solution(sessions, author, task_id, "print('ada')\n")
    learner = await add_person(sessions, "bob")
    await add_solution(
        sessions, learner, task_id, "print(1)\n", verdict=SubmissionVerdict.WRONG_ANSWER
    )
    for viewer in [
        await _viewer(sessions, learner, task_id),  # tried, not solved
        await _viewer(sessions, None, task_id),  # not logged in
    ]:
        assert not viewer.may_see
        with pytest.raises(SolutionRefused, match="unlock once you solve"):
            await _listed(sessions, viewer, task_id)


async def test_a_solver_sees_each_authors_latest_shared_accepted_solution_and_the_reference(
    sessions: Sessions,
) -> None:
    task_id = await add_task(sessions, "echo-twice")
    other_task = await add_task(sessions, "other-task")
    ada, bob, cy, me = [await add_person(sessions, name) for name in ("ada", "bob", "cy", "me")]
    await add_solution(sessions, ada, task_id, "ada first\n", minutes_ago=50)
    await add_solution(sessions, ada, task_id, "ada latest\n", minutes_ago=40)
    await add_solution(sessions, ada, task_id, "ada not shared\n", shared=False, minutes_ago=30)
    await add_solution(
        sessions, bob, task_id, "bob wrong\n", verdict=SubmissionVerdict.WRONG_ANSWER
    )
    await add_solution(sessions, cy, task_id, "cy private\n", shared=False)
    await add_solution(sessions, cy, other_task, "cy other task\n")
    await add_solution(sessions, me, task_id, "mine\n", minutes_ago=10)

    viewer = await _viewer(sessions, me, task_id)
    assert viewer.solved
    assert viewer.may_see
    assert not viewer.curates
    listed = await _listed(sessions, viewer, task_id)
    assert [s.code for s in listed.solutions] == ["ada latest\n", "mine\n"]
    assert [s.author for s in listed.solutions] == ["ada", "me"]
    assert listed.reference == "line = input()\nprint(line)\nprint(line)\n"
    assert (listed.total, listed.page_number, listed.page_count) == (2, 1, 1)


async def test_an_author_without_a_public_profile_goes_by_a_pseudonym(sessions: Sessions) -> None:
    task_id = await add_task(sessions, "echo-twice")
    hidden_name = await add_person(sessions, "discord_handle", public=False)
    await add_solution(sessions, hidden_name, task_id, "print(1)\n")
    viewer = await _viewer(sessions, hidden_name, task_id)
    (solution,) = (await _listed(sessions, viewer, task_id)).solutions
    assert (solution.author, solution.author_public) == (f"Learner {hidden_name}", False)


async def test_those_who_curate_the_tasks_catalogue_see_without_solving(sessions: Sessions) -> None:
    shared_task = await add_task(sessions, "echo-twice")
    server_task = await add_task(sessions, "club-task", owner=GUILD_A)
    author = await add_person(sessions, "ada")
    for task_id in (shared_task, server_task):
        await add_solution(sessions, author, task_id, "ada\n")
    curator = await _curator(sessions)
    moderator_a = await _server_moderator(sessions, GUILD_A, "Mo A")
    moderator_b = await _server_moderator(sessions, GUILD_B, "Mo B")

    assert (await _viewer(sessions, curator, shared_task)).curates
    assert not (await _viewer(sessions, curator, server_task)).curates
    assert (await _viewer(sessions, moderator_a, server_task)).curates
    assert not (await _viewer(sessions, moderator_a, shared_task)).curates
    assert not (await _viewer(sessions, moderator_b, server_task)).may_see
    viewer = await _viewer(sessions, moderator_a, server_task)
    assert await _codes(sessions, viewer, server_task) == ["ada\n"]


async def test_a_right_seen_long_ago_no_longer_shows_them(sessions: Sessions) -> None:
    server_task = await add_task(sessions, "club-task", owner=GUILD_A)
    moderator = await _server_moderator(sessions, GUILD_A)
    async with session_scope(sessions) as session:
        right = await session.get(ModeratorRight, (moderator, GUILD_A))
        assert right is not None
        right.last_seen_at = utcnow() - timedelta(days=30)
    assert not (await _viewer(sessions, moderator, server_task)).may_see


async def test_most_voted_first_ties_to_the_earliest(sessions: Sessions) -> None:
    task_id = await add_task(sessions, "echo-twice")
    authors = [await add_person(sessions, name) for name in ("ada", "bob", "cy", "dee")]
    ids = [
        await add_solution(sessions, author, task_id, f"{index}\n", minutes_ago=100 - index)
        for index, author in enumerate(authors)
    ]
    voters = [await add_person(sessions, f"voter{i}") for i in range(3)]
    for voter in voters:
        await add_solution(sessions, voter, task_id, "voter\n", shared=False)
    # cy: three votes; bob: clever and best practice from one voter; ada and dee none
    for voter in voters:
        await _vote(sessions, voter, task_id, ids[2], CLEVER)
    await _vote(sessions, voters[0], task_id, ids[1], CLEVER)
    await _vote(sessions, voters[0], task_id, ids[1], BEST)

    viewer = await _viewer(sessions, voters[0], task_id)
    listed = (await _listed(sessions, viewer, task_id)).solutions
    assert [s.code for s in listed] == ["2\n", "1\n", "0\n", "3\n"]
    assert [s.votes for s in listed[:2]] == [{CLEVER: 3, BEST: 0}, {CLEVER: 1, BEST: 1}]
    assert [s.total_votes for s in listed] == [3, 2, 0, 0]
    assert [s.voted for s in listed[:3]] == [{CLEVER}, {CLEVER, BEST}, frozenset()]
    # another voter's view counts the same votes but marks only their own
    others = await _listed(sessions, await _viewer(sessions, voters[2], task_id), task_id)
    assert [s.voted for s in others.solutions[:2]] == [{CLEVER}, frozenset()]


async def test_one_vote_of_each_kind_and_withdrawing_it(sessions: Sessions) -> None:
    task_id = await add_task(sessions, "echo-twice")
    author, voter = await add_person(sessions, "ada"), await add_person(sessions, "bob")
    solution = await add_solution(sessions, author, task_id, "ada\n")
    await add_solution(sessions, voter, task_id, "bob\n")

    await _vote(sessions, voter, task_id, solution, CLEVER)
    await _vote(sessions, voter, task_id, solution, CLEVER)  # again: still one
    await _vote(sessions, voter, task_id, solution, BEST)
    async with sessions() as session:
        kinds = await session.scalars(
            select(SolutionVote.kind).where(SolutionVote.submission_id == solution)
        )
        assert sorted(kinds) == sorted([CLEVER, BEST])

    await _vote(sessions, voter, task_id, solution, CLEVER, voted=False)
    await _vote(sessions, voter, task_id, solution, CLEVER, voted=False)  # again: nothing
    listed = await _listed(sessions, await _viewer(sessions, voter, task_id), task_id)
    ada = next(s for s in listed.solutions if s.author == "ada")
    assert ada.votes == {CLEVER: 0, BEST: 1}
    assert ada.voted == {BEST}


async def test_no_vote_for_ones_own_nor_before_solving(sessions: Sessions) -> None:
    task_id = await add_task(sessions, "echo-twice")
    author = await add_person(sessions, "ada")
    solution = await add_solution(sessions, author, task_id, "ada\n")
    curator = await _curator(sessions)
    tried = await add_person(sessions, "bob")
    await add_solution(sessions, tried, task_id, "x\n", verdict=SubmissionVerdict.WRONG_ANSWER)

    with pytest.raises(SolutionRefused, match="your own"):
        await _vote(sessions, author, task_id, solution, CLEVER)
    for voter in (tried, curator):  # a curator sees the solutions, but votes only as a solver
        with pytest.raises(SolutionRefused, match="once you solved"):
            await _vote(sessions, voter, task_id, solution, CLEVER)
    async with sessions() as session:
        assert await session.scalar(select(SolutionVote.user_id)) is None


async def test_only_listed_solutions_get_votes(sessions: Sessions) -> None:
    task_id = await add_task(sessions, "echo-twice")
    other_task = await add_task(sessions, "other-task")
    author, voter = await add_person(sessions, "ada"), await add_person(sessions, "bob")
    await add_solution(sessions, voter, task_id, "bob\n")
    earlier = await add_solution(sessions, author, task_id, "earlier\n", minutes_ago=50)
    await add_solution(sessions, author, task_id, "latest\n", minutes_ago=40)
    unlisted = [
        earlier,  # the author shared a later one
        await add_solution(sessions, author, task_id, "private\n", shared=False),
        await add_solution(
            sessions, author, task_id, "wrong\n", verdict=SubmissionVerdict.WRONG_ANSWER
        ),
        await add_solution(sessions, author, other_task, "other task\n"),
    ]
    for submission_id in unlisted:
        with pytest.raises(SolutionMissing):
            await _vote(sessions, voter, task_id, submission_id, CLEVER)


async def test_moderators_hide_and_unhide(sessions: Sessions) -> None:
    task_id = await add_task(sessions, "echo-twice")
    author, solver = await add_person(sessions, "ada"), await add_person(sessions, "bob")
    solution = await add_solution(sessions, author, task_id, "rude\n")
    await add_solution(sessions, solver, task_id, "bob\n")
    curator = await _curator(sessions)
    solver_view = await _viewer(sessions, solver, task_id)

    await _moderate(sessions, curator, task_id, solution, hidden=True)
    await _moderate(sessions, curator, task_id, solution, hidden=True)  # again: unchanged
    assert await _codes(sessions, solver_view, task_id) == ["bob\n"]
    with pytest.raises(SolutionMissing):  # hidden solutions get no votes
        await _vote(sessions, solver, task_id, solution, CLEVER)
    with pytest.raises(SolutionRefused, match="curate"):
        await _listed(sessions, solver_view, task_id, hidden=True)
    curator_view = await _viewer(sessions, curator, task_id)
    assert await _codes(sessions, curator_view, task_id) == ["bob\n"]
    hidden = await _listed(sessions, curator_view, task_id, hidden=True)
    assert [(s.code, s.hidden_at is not None) for s in hidden.solutions] == [("rude\n", True)]
    async with sessions() as session:
        row = await session.get(Submission, solution)
        assert row is not None
        assert row.share_hidden_by == curator

    await _moderate(sessions, curator, task_id, solution, hidden=False)
    assert await _codes(sessions, solver_view, task_id) == ["rude\n", "bob\n"]
    assert (await _listed(sessions, curator_view, task_id, hidden=True)).solutions == ()


async def test_only_those_who_curate_the_task_hide(sessions: Sessions) -> None:
    server_task = await add_task(sessions, "club-task", owner=GUILD_A)
    author, solver = await add_person(sessions, "ada"), await add_person(sessions, "bob")
    solution = await add_solution(sessions, author, server_task, "ada\n")
    await add_solution(sessions, solver, server_task, "bob\n")
    private = await add_solution(sessions, solver, server_task, "mine\n", shared=False)
    for refused in (solver, await _curator(sessions), await _server_moderator(sessions, GUILD_B)):
        with pytest.raises(SolutionRefused, match="curate"):
            await _moderate(sessions, refused, server_task, solution, hidden=True)
    moderator = await _server_moderator(sessions, GUILD_A, "Mo A")
    with pytest.raises(SolutionMissing):  # never shared: nothing to hide
        await _moderate(sessions, moderator, server_task, private, hidden=True)
    await _moderate(sessions, moderator, server_task, solution, hidden=True)
    assert await _codes(sessions, await _viewer(sessions, solver, server_task), server_task) == [
        "bob\n"
    ]


async def test_an_author_stops_sharing(sessions: Sessions) -> None:
    task_id = await add_task(sessions, "echo-twice")
    author, solver = await add_person(sessions, "ada"), await add_person(sessions, "bob")
    await add_solution(sessions, author, task_id, "earlier\n", minutes_ago=50)
    await add_solution(sessions, author, task_id, "latest\n", minutes_ago=40)
    await add_solution(sessions, solver, task_id, "bob\n")
    async with session_scope(sessions) as session:
        assert await stop_sharing(session, author, task_id) == 2
    # the earlier one does not take the latest's place
    assert await _codes(sessions, await _viewer(sessions, solver, task_id), task_id) == ["bob\n"]
    async with session_scope(sessions) as session:
        assert await stop_sharing(session, author, task_id) == 0


async def test_pages_of_twenty(sessions: Sessions) -> None:
    task_id = await add_task(sessions, "echo-twice")
    for index in range(PAGE_SIZE + 1):
        author = await add_person(sessions, f"learner{index}")
        await add_solution(sessions, author, task_id, f"{index}\n", minutes_ago=100 - index)
    viewer = await _viewer(sessions, author, task_id)
    first = await _listed(sessions, viewer, task_id)
    second = await _listed(sessions, viewer, task_id, page=2)
    assert (first.total, first.page_count, len(first.solutions)) == (PAGE_SIZE + 1, 2, PAGE_SIZE)
    assert [s.code for s in second.solutions] == [f"{PAGE_SIZE}\n"]
    assert (await _listed(sessions, viewer, task_id, page=3)).solutions == ()


@pytest.mark.usefixtures("content")
async def test_solutions_shared_through_the_submission_flow_from_discord_or_the_site(
    sessions: Sessions, clock: Clock
) -> None:
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    ada, bob, cy = [await make_learner(sessions, discord_id) for discord_id in (1, 2, 3)]
    await service.submit(ada, "easy-one", ACCEPT, Source.DISCORD, GUILD, shared=True)
    await service.submit(bob, "easy-one", f"{ACCEPT}# web\n", Source.WEB, shared=True)
    await service.submit(cy, "easy-one", ACCEPT, Source.WEB, shared=False)
    async with sessions() as session:
        task = await session.scalar(select(Task).where(Task.slug == "easy-one"))
    assert task is not None
    viewer = await _viewer(sessions, cy, task.id)
    assert viewer.solved
    listed = (await _listed(sessions, viewer, task.id)).solutions
    assert [(s.author_id, s.code) for s in listed] == [(ada, ACCEPT), (bob, f"{ACCEPT}# web\n")]
