"""A server's own tasks: solvable only in that server, counted on that server's boards only."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.db import session_scope
from core.leaderboards import Period, rank_of, top
from core.learners import remember_member
from core.models import (
    DailyPost,
    GuildMember,
    GuildSettings,
    ScoreCount,
    Solve,
    Submission,
    User,
    UserAchievement,
)
from core.streaks import StreakState
from core.submissions.service import Source, SubmissionRejected, SubmissionService
from tests.support.catalogue import GUILD_A, GUILD_B, add_task
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import make_learner

pytestmark = pytest.mark.usefixtures("content")

ACCEPT = "# accept\nprint(input())\n"
WRONG = "# wrong\nprint(1)\n"
#: B's own task (easy: 10 points) and the shared catalogue's (easy-one: 10, hard-one: 40)
B_TASK = "b-only"


@dataclass(frozen=True)
class Standing:
    """What a learner holds: global totals and, per server, (board points, board week points,
    local points)."""

    points: int
    week_points: int
    streak: StreakState
    boards: dict[int, tuple[int, int, int]]


async def _standing(sessions: Sessions, user: int) -> Standing:
    async with sessions() as session:
        learner = await session.get(User, user)
        assert learner is not None
        members = await session.execute(
            select(
                GuildMember.guild_id,
                GuildMember.points,
                GuildMember.week_points,
                GuildMember.local_points,
            ).where(GuildMember.user_id == user)
        )
        return Standing(
            learner.points,
            learner.week_points,
            StreakState(
                learner.current_streak,
                learner.best_streak,
                learner.last_active_day,
                learner.streak_freezes,
            ),
            {guild: (points, week, local) for guild, points, week, local in members},
        )


async def _in_both(sessions: Sessions, discord_id: int) -> int:
    """A learner seen in servers A and B."""
    user = await make_learner(sessions, discord_id, GUILD_A)
    async with session_scope(sessions) as session:
        await remember_member(session, GUILD_B, user)
    return user


def _service(sessions: Sessions, clock: Clock) -> SubmissionService:
    return SubmissionService(sessions, ScriptedGrader(), clock=clock)


async def _count(sessions: Sessions, model: type[object]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_server_task_counts_on_that_servers_board_only(
    sessions: Sessions, clock: Clock
) -> None:
    await add_task(sessions, B_TASK, GUILD_B)
    learner, rival = await _in_both(sessions, 1), await _in_both(sessions, 2)
    service = _service(sessions, clock)

    outcome = await service.submit(learner, B_TASK, ACCEPT, Source.DISCORD, GUILD_B)

    assert (outcome.accepted, outcome.first_solve, outcome.points_gained) == (True, True, 10)
    assert (outcome.total_points, outcome.server_points) == (0, 10)
    assert (outcome.streak_before, outcome.streak_after, outcome.achievements) == (0, 0, ())
    assert await _standing(sessions, learner) == Standing(
        0, 0, StreakState(), {GUILD_A: (0, 0, 0), GUILD_B: (10, 10, 10)}
    )
    assert await _count(sessions, UserAchievement) == 0  # "solve one task" is global
    assert await _count(sessions, ScoreCount) == 0
    async with sessions() as session:
        assert await session.scalar(select(Solve.points_awarded)) == 10
        for period in (Period.ALL, Period.WEEK):
            assert await top(session, period, now=clock.now) == []
            assert await top(session, period, GUILD_A, now=clock.now) == []
            board = await top(session, period, GUILD_B, now=clock.now)
            assert [(e.user_id, e.value) for e in board] == [(learner, 10)]
        assert await rank_of(session, learner, now=clock.now) is None

    # a global task counts everywhere, and on B's board on top of B's own
    await service.submit(learner, "hard-one", ACCEPT, Source.DISCORD, GUILD_A)
    await service.submit(rival, "hard-one", ACCEPT, Source.DISCORD, GUILD_A)
    mine = await _standing(sessions, learner)
    assert (mine.points, mine.week_points, mine.streak.current) == (40, 40, 1)
    assert mine.boards == {GUILD_A: (40, 40, 0), GUILD_B: (50, 50, 10)}
    async with sessions() as session:
        world = await top(session, Period.ALL, now=clock.now)
        assert [(e.user_id, e.value) for e in world] == [(learner, 40), (rival, 40)]
        server = await top(session, Period.ALL, GUILD_B, now=clock.now)
        assert [(e.user_id, e.value) for e in server] == [(learner, 50), (rival, 40)]
        there = await rank_of(session, rival, Period.WEEK, GUILD_B, now=clock.now)
        assert there is not None
        assert (there.rank, there.value) == (2, 40)


async def test_solving_it_again_earns_nothing_more(sessions: Sessions, clock: Clock) -> None:
    await add_task(sessions, B_TASK, GUILD_B)
    learner = await _in_both(sessions, 1)
    service = _service(sessions, clock)
    await service.submit(learner, B_TASK, WRONG, Source.DISCORD, GUILD_B)
    await service.submit(learner, B_TASK, ACCEPT, Source.DISCORD, GUILD_B)
    clock.now += timedelta(days=1)
    again = await service.submit(learner, B_TASK, ACCEPT, Source.DISCORD, GUILD_B)
    assert (again.first_solve, again.points_gained, again.server_points) == (False, 0, 10)
    assert (again.streak_before, again.streak_after) == (0, 0)
    assert (await _standing(sessions, learner)).boards[GUILD_B] == (10, 10, 10)


@pytest.mark.parametrize(
    ("source", "guild"),
    [(Source.DISCORD, GUILD_A), (Source.DISCORD, None), (Source.WEB, None)],
    ids=["other-server", "dm", "site"],
)
async def test_a_server_task_is_unknown_anywhere_else(
    sessions: Sessions, clock: Clock, source: Source, guild: int | None
) -> None:
    await add_task(sessions, B_TASK, GUILD_B)
    learner = await _in_both(sessions, 1)
    service = _service(sessions, clock)
    with pytest.raises(SubmissionRejected) as refused:
        await service.submit(learner, B_TASK, ACCEPT, source, guild)
    with pytest.raises(SubmissionRejected) as unknown:
        await service.submit(learner, "no-such-task", ACCEPT, source, guild)
    assert str(refused.value) == str(unknown.value).replace("no-such-task", B_TASK)
    assert await _count(sessions, Submission) == 0


async def test_an_unpublished_server_task_is_unknown_in_its_server(
    sessions: Sessions, clock: Clock
) -> None:
    await add_task(sessions, "b-draft", GUILD_B, published=False)
    learner = await _in_both(sessions, 1)
    with pytest.raises(SubmissionRejected, match="no published task 'b-draft'"):
        await _service(sessions, clock).submit(learner, "b-draft", ACCEPT, Source.DISCORD, GUILD_B)


async def test_a_shared_task_comes_first_among_equal_slugs(
    sessions: Sessions, clock: Clock
) -> None:
    """Should a server's task and a later shared task share a slug, the shared one is graded."""
    await add_task(sessions, "twin", GUILD_B, difficulty="hard")
    await add_task(sessions, "twin")
    learner = await _in_both(sessions, 1)
    outcome = await _service(sessions, clock).submit(
        learner, "twin", ACCEPT, Source.DISCORD, GUILD_B
    )
    assert (outcome.points_gained, outcome.total_points, outcome.server_points) == (10, 10, None)


async def test_a_server_tasks_daily_bonus_counts_on_its_board(
    sessions: Sessions, clock: Clock
) -> None:
    task = await add_task(sessions, B_TASK, GUILD_B)
    learner = await _in_both(sessions, 1)
    async with session_scope(sessions) as session:
        session.add(GuildSettings(guild_id=GUILD_B, daily_bonus=7))
        session.add(DailyPost(guild_id=GUILD_B, day=clock.now.date(), task_id=task))
    outcome = await _service(sessions, clock).submit(
        learner, B_TASK, ACCEPT, Source.DISCORD, GUILD_B
    )
    assert (outcome.points_gained, outcome.daily_bonus, outcome.server_points) == (10, 7, 17)
    assert (outcome.total_points, outcome.streak_after) == (0, 0)
    standing = await _standing(sessions, learner)
    assert (standing.points, standing.streak) == (0, StreakState())
    assert standing.boards[GUILD_B] == (17, 17, 17)
    async with sessions() as session:
        solve = (await session.execute(select(Solve.points_awarded, Solve.daily))).one()
    assert tuple(solve) == (17, True)


async def test_a_skipped_day_has_no_daily_bonus(sessions: Sessions, clock: Clock) -> None:
    task = await add_task(sessions, B_TASK, GUILD_B)
    learner = await _in_both(sessions, 1)
    async with session_scope(sessions) as session:
        session.add(DailyPost(guild_id=GUILD_B, day=clock.now.date(), task_id=task, skipped=True))
    outcome = await _service(sessions, clock).submit(
        learner, B_TASK, ACCEPT, Source.DISCORD, GUILD_B
    )
    assert (outcome.daily_bonus, outcome.server_points) == (0, 10)


async def test_a_learner_not_yet_seen_in_the_server_gets_a_membership(
    sessions: Sessions, clock: Clock
) -> None:
    await add_task(sessions, B_TASK, GUILD_B)
    learner = await make_learner(sessions, 1, GUILD_A)
    service = _service(sessions, clock)
    await service.submit(learner, "easy-one", ACCEPT, Source.DISCORD, GUILD_A)
    outcome = await service.submit(learner, B_TASK, ACCEPT, Source.DISCORD, GUILD_B)
    assert outcome.server_points == 20
    assert (await _standing(sessions, learner)).boards == {
        GUILD_A: (10, 10, 0),
        GUILD_B: (20, 20, 10),
    }


async def test_racing_solves_of_a_server_task_award_once(sessions: Sessions, clock: Clock) -> None:
    await add_task(sessions, B_TASK, GUILD_B)
    learner = await make_learner(sessions, 1, GUILD_A)  # not seen in B yet
    service = _service(sessions, clock)
    outcomes = await asyncio.gather(
        *(service.submit(learner, B_TASK, ACCEPT, Source.DISCORD, GUILD_B) for _ in range(10))
    )
    assert sum(o.first_solve for o in outcomes) == 1
    assert {o.server_points for o in outcomes} == {10}
    assert await _count(sessions, Solve) == 1
    assert (await _standing(sessions, learner)).boards[GUILD_B] == (10, 10, 10)


async def test_a_new_week_starts_the_servers_weekly_board_afresh(
    sessions: Sessions, clock: Clock
) -> None:
    await add_task(sessions, B_TASK, GUILD_B)
    await add_task(sessions, "b-later", GUILD_B)
    learner = await _in_both(sessions, 1)
    service = _service(sessions, clock)
    await service.submit(learner, B_TASK, ACCEPT, Source.DISCORD, GUILD_B)
    await service.submit(learner, "hard-one", ACCEPT, Source.DISCORD, GUILD_A)
    clock.now += timedelta(days=7)
    await service.submit(learner, "b-later", ACCEPT, Source.DISCORD, GUILD_B)
    assert (await _standing(sessions, learner)).boards[GUILD_B] == (60, 10, 20)
    async with sessions() as session:
        weekly = await top(session, Period.WEEK, GUILD_B, now=clock.now)
        assert [(e.user_id, e.value) for e in weekly] == [(learner, 10)]
        assert await top(session, Period.WEEK, now=clock.now) == []
    assert clock.now.date() == date(2026, 5, 11)
