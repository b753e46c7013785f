"""What the award reads under the learner's lock: their own time zone decides their streak
days (the daily bonus stays on the server's day), and the hints they revealed cost points."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.db import session_scope
from core.models import DailyPost, GuildMember, GuildSettings, HintReveal, Solve, Task, User
from core.streaks import StreakState
from core.submissions.recompute import recompute_streak
from core.submissions.service import Source, SubmissionService
from tests.support.catalogue import GUILD_B, add_task
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import ACCEPT, GUILD, make_learner

pytestmark = pytest.mark.usefixtures("content")

TOKYO = "Asia/Tokyo"


async def _set_zone(sessions: Sessions, user_id: int, zone: str | None) -> None:
    async with session_scope(sessions) as session:
        learner = await session.get(User, user_id)
        assert learner is not None
        learner.timezone = zone


async def _task_id(sessions: Sessions, slug: str) -> int:
    async with sessions() as session:
        task_id = await session.scalar(select(Task.id).where(Task.slug == slug))
    assert task_id is not None
    return task_id


async def _reveal(sessions: Sessions, user_id: int, slug: str, revealed: int) -> None:
    task_id = await _task_id(sessions, slug)
    async with session_scope(sessions) as session:
        session.add(HintReveal(user_id=user_id, task_id=task_id, revealed=revealed))


@pytest.mark.parametrize("source", [Source.DISCORD, Source.WEB])
async def test_a_learners_own_zone_decides_their_streak_days(
    sessions: Sessions, clock: Clock, source: Source
) -> None:
    user = await make_learner(sessions, 1)
    await _set_zone(sessions, user, TOKYO)
    guild = GUILD if source is Source.DISCORD else None
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    # 23:30 in Tokyo on Monday 4 May, 14:30 UTC (the server counts in UTC)
    clock.now = clock.now.replace(hour=14, minute=30)
    first = await service.submit(user, "easy-one", ACCEPT, source, guild)
    # an hour later it is Tuesday in Tokyo, still Monday in UTC
    clock.now += timedelta(hours=1)
    second = await service.submit(user, "easy-two", ACCEPT, source, guild)
    assert (first.streak_after, second.streak_after) == (1, 2)
    async with sessions() as session:
        learner = await session.get(User, user)
        assert learner is not None
        assert (learner.current_streak, learner.last_active_day) == (2, date(2026, 5, 5))
        assert await recompute_streak(session, user) == StreakState(2, 2, date(2026, 5, 5), 0)


async def test_the_daily_bonus_stays_on_the_servers_day(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    await _set_zone(sessions, user, TOKYO)
    monday, tuesday = date(2026, 5, 4), date(2026, 5, 5)
    async with session_scope(sessions) as session:
        session.add(GuildSettings(guild_id=GUILD, daily_bonus=7))
        session.add(
            DailyPost(guild_id=GUILD, day=monday, task_id=await _task_id(sessions, "easy-one"))
        )
        session.add(
            DailyPost(guild_id=GUILD, day=tuesday, task_id=await _task_id(sessions, "easy-two"))
        )
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    # 01:00 on Tuesday in Tokyo, still Monday on the server
    clock.now = clock.now.replace(hour=16)
    tuesdays = await service.submit(user, "easy-two", ACCEPT, Source.DISCORD, GUILD)
    mondays = await service.submit(user, "easy-one", ACCEPT, Source.DISCORD, GUILD)
    assert (tuesdays.daily_bonus, mondays.daily_bonus) == (0, 7)
    assert mondays.streak_after == 1


async def test_hints_revealed_before_a_first_solve_cost_its_points(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    await _reveal(sessions, user, "hard-one", 2)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    outcome = await service.submit(user, "hard-one", ACCEPT, Source.DISCORD, GUILD)
    assert (outcome.points_gained, outcome.hints_used, outcome.hint_cost) == (24, 2, 16)
    assert outcome.total_points == 24
    async with sessions() as session:
        assert await session.scalar(select(Solve.points_awarded)) == 24
        learner = await session.get(User, user)
        assert learner is not None
        assert (learner.points, learner.week_points) == (24, 24)
    # hints revealed after the solve change nothing already awarded
    async with session_scope(sessions) as session:
        reveal = await session.get(HintReveal, (user, await _task_id(sessions, "hard-one")))
        assert reveal is not None
        reveal.revealed = 5
    again = await service.submit(user, "hard-one", ACCEPT, Source.DISCORD, GUILD)
    assert (again.first_solve, again.hints_used, again.total_points) == (False, 0, 24)


async def test_hints_never_reduce_the_daily_bonus(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    await _reveal(sessions, user, "hard-one", 5)
    async with session_scope(sessions) as session:
        session.add(GuildSettings(guild_id=GUILD, daily_bonus=7))
        session.add(
            DailyPost(
                guild_id=GUILD, day=clock.now.date(), task_id=await _task_id(sessions, "hard-one")
            )
        )
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    outcome = await service.submit(user, "hard-one", ACCEPT, Source.DISCORD, GUILD)
    # five hints leave the floor: 40% of 40 points
    assert (outcome.points_gained, outcome.hint_cost, outcome.daily_bonus) == (16, 24, 7)
    assert outcome.total_points == 23


async def test_hints_cost_a_servers_own_task_its_local_points(
    sessions: Sessions, clock: Clock
) -> None:
    task_id = await add_task(sessions, "b-only", GUILD_B, points=20)
    user = await make_learner(sessions, 1, GUILD_B)
    async with session_scope(sessions) as session:
        session.add(HintReveal(user_id=user, task_id=task_id, revealed=1))
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    outcome = await service.submit(user, "b-only", ACCEPT, Source.DISCORD, GUILD_B)
    assert (outcome.points_gained, outcome.hint_cost, outcome.server_points) == (16, 4, 16)
    async with sessions() as session:
        member = await session.get(GuildMember, (GUILD_B, user))
        assert member is not None
        assert member.local_points == 16
