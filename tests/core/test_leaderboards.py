"""Leaderboards: ranks with stable ties, score counts, weekly points and the streak board."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.db import session_scope
from core.leaderboards import (
    Mark,
    Period,
    rank_of,
    recount_scores,
    recount_week_points,
    top,
    top_after,
    week_points_of,
    week_start,
)
from core.learners import remember_member
from core.models import GuildMember, ScoreCount, User
from core.privacy import delete_learner
from tests.support.catalogue import GUILD_A, GUILD_B, add_task
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.learners import GUILD, make_learner, solve

pytestmark = pytest.mark.usefixtures("content")


async def test_leaderboards_rank_with_stable_ties(sessions: Sessions, clock: Clock) -> None:
    a, b, c = [await make_learner(sessions, i) for i in (1, 2, 3)]
    outsider = await make_learner(sessions, 4, guild_id=GUILD + 1)
    await solve(sessions, clock, a, "easy-one")
    await solve(sessions, clock, b, "hard-one")
    await solve(sessions, clock, c, "easy-two")
    await solve(sessions, clock, outsider, "hard-one", guild=GUILD + 1)
    async with sessions() as session:
        server = await top(session, Period.ALL, GUILD, now=clock.now)
        world = await top(session, Period.ALL, now=clock.now)
        assert [(e.rank, e.user_id, e.value) for e in server] == [
            (1, b, 40),
            (2, a, 10),
            (3, c, 10),
        ]
        assert [e.user_id for e in world] == [b, outsider, a, c]
        second_page = await top(session, Period.ALL, limit=2, offset=2, now=clock.now)
        assert [(e.rank, e.user_id) for e in second_page] == [(3, a), (4, c)]
        mine = await rank_of(session, c, Period.ALL, GUILD, now=clock.now)
        assert mine is not None
        assert (mine.rank, mine.value) == (3, 10)
        assert await rank_of(session, outsider, Period.ALL, GUILD, now=clock.now) is None
        ranks = [await rank_of(session, u, Period.ALL, now=clock.now) for u in (b, outsider, a, c)]
        assert [(r.rank, r.value) for r in ranks if r] == [(1, 40), (2, 40), (3, 10), (4, 10)]


async def test_score_counts_follow_every_change(sessions: Sessions, clock: Clock) -> None:
    learners = [await make_learner(sessions, i) for i in range(1, 5)]
    plans = [["easy-one"], ["easy-one", "hard-one"], ["hard-one"], []]
    for user, slugs in zip(learners, plans, strict=True):
        for slug in slugs:
            await solve(sessions, clock, user, slug)
    async with session_scope(sessions) as session:
        await delete_learner(session, learners[2])

    async def counts() -> dict[int, int]:
        async with sessions() as session:
            rows = await session.execute(
                select(ScoreCount.points, ScoreCount.learners).where(ScoreCount.learners > 0)
            )
            return dict(rows.all())

    async with sessions() as session:
        expected = dict(
            (
                await session.execute(
                    select(User.points, func.count()).where(User.points > 0).group_by(User.points)
                )
            ).all()
        )
    assert expected == {10: 1, 50: 1}
    assert await counts() == expected
    async with session_scope(sessions) as session:
        await recount_scores(session)
    assert await counts() == expected


async def test_weekly_points_follow_every_award(sessions: Sessions, clock: Clock) -> None:
    a, b = await make_learner(sessions, 1), await make_learner(sessions, 2)
    outsider = await make_learner(sessions, 3, guild_id=GUILD + 1)
    await solve(sessions, clock, a, "hard-one")  # week of 4 May: 40
    clock.now += timedelta(days=7)  # week of 11 May
    await solve(sessions, clock, a, "easy-one")
    await solve(sessions, clock, b, "easy-one")
    await solve(sessions, clock, b, "easy-two")
    await solve(sessions, clock, b, "easy-two")  # solved before: nothing more
    await solve(sessions, clock, outsider, "hard-one", guild=GUILD + 1)

    async def mirrored() -> dict[int, tuple[date | None, int]]:
        async with sessions() as session:
            rows = await session.execute(select(User.id, User.week_start, User.week_points))
            members = await session.execute(
                select(GuildMember.user_id, GuildMember.week_start, GuildMember.week_points)
            )
            by_user = {user: (week, points) for user, week, points in rows}
            assert all(by_user[user] == (week, points) for user, week, points in members)
            return by_user

    this_week = date(2026, 5, 11)
    expected = {a: (this_week, 10), b: (this_week, 20), outsider: (this_week, 40)}
    assert await mirrored() == expected
    async with session_scope(sessions) as session:
        await recount_week_points(session, clock.now)
    assert await mirrored() == expected
    async with sessions() as session:
        server = await top(session, Period.WEEK, GUILD, now=clock.now)
        assert [(e.rank, e.user_id, e.value) for e in server] == [(1, b, 20), (2, a, 10)]
        world = await top(session, Period.WEEK, now=clock.now)
        assert [e.user_id for e in world] == [outsider, b, a]
        mine = await rank_of(session, a, Period.WEEK, now=clock.now)
        assert mine is not None
        assert (mine.rank, mine.value) == (3, 10)
        next_week = clock.now + timedelta(days=7)
        assert await top(session, Period.WEEK, GUILD, now=next_week) == []


async def test_weekly_board_counts_only_this_week(sessions: Sessions, clock: Clock) -> None:
    a, b = await make_learner(sessions, 1), await make_learner(sessions, 2)
    await solve(sessions, clock, a, "hard-one")
    clock.now += timedelta(days=7)
    await solve(sessions, clock, b, "easy-one")
    assert week_start(clock.now).date() == date(2026, 5, 11)
    async with sessions() as session:
        weekly = await top(session, Period.WEEK, GUILD, now=clock.now)
        assert [(e.user_id, e.value) for e in weekly] == [(b, 10)]
        overall = await top(session, Period.ALL, GUILD, now=clock.now)
        assert [e.user_id for e in overall] == [a, b]


async def test_streak_board_drops_broken_streaks(sessions: Sessions, clock: Clock) -> None:
    a, b = await make_learner(sessions, 1), await make_learner(sessions, 2)
    await solve(sessions, clock, a, "easy-one")
    clock.now += timedelta(days=1)
    await solve(sessions, clock, a, "easy-two")
    await solve(sessions, clock, b, "easy-one")
    async with sessions() as session:
        board = await top(session, Period.STREAK, now=clock.now)
        assert [(e.user_id, e.value) for e in board] == [(a, 2), (b, 1)]
        later = await top(session, Period.STREAK, now=clock.now + timedelta(days=2))
        assert later == []


async def test_recounting_the_week_keeps_server_tasks_on_their_boards(
    sessions: Sessions, clock: Clock
) -> None:
    await add_task(sessions, "b-only", GUILD_B)
    learner = await make_learner(sessions, 1, GUILD_A)
    async with session_scope(sessions) as session:
        await remember_member(session, GUILD_B, learner)
    await solve(sessions, clock, learner, "b-only", guild=GUILD_B)
    await solve(sessions, clock, learner, "hard-one", guild=GUILD_A)

    async def weeks() -> tuple[tuple[date | None, int], dict[int, tuple[date | None, int, int]]]:
        """The learner's global week, and each membership's (week, board points, local points)."""
        async with sessions() as session:
            user = await session.get(User, learner)
            assert user is not None
            members = await session.scalars(select(GuildMember))
            return (user.week_start, user.week_points), {
                m.guild_id: (m.week_start, m.week_points, m.local_week_points) for m in members
            }

    monday = date(2026, 5, 4)
    expected = ((monday, 40), {GUILD_A: (monday, 40, 0), GUILD_B: (monday, 50, 10)})
    assert await weeks() == expected
    async with session_scope(sessions) as session:
        await recount_week_points(session, clock.now)
    assert await weeks() == expected
    async with session_scope(sessions) as session:
        await recount_week_points(session, clock.now + timedelta(days=7))
    next_monday = date(2026, 5, 11)
    assert await weeks() == (
        (next_monday, 0),
        {GUILD_A: (next_monday, 0, 0), GUILD_B: (next_monday, 0, 0)},
    )
    async with sessions() as session:
        assert await week_points_of(session, learner, clock.now) == (monday, 40)


async def test_keyset_pages_neither_skip_nor_repeat_while_learners_climb(
    sessions: Sessions,
) -> None:
    async with session_scope(sessions) as session:
        ids = []
        for number, points in enumerate((50, 40, 40, 30, 20)):
            learner = User(display_name=f"learner{number}", points=points)
            session.add(learner)
            await session.flush()
            ids.append(learner.id)
    async with sessions() as session:
        first = await top_after(session, Period.ALL, None, limit=2)
    assert [(e.rank, e.user_id) for e in first] == [(1, ids[0]), (2, ids[1])]
    async with session_scope(sessions) as session:
        climber = await session.get(User, ids[4])
        assert climber is not None
        climber.points = 100  # climbs above the page already read
    async with sessions() as session:
        mark = Mark(first[-1].value, first[-1].user_id)
        second = await top_after(session, Period.ALL, mark, limit=2)
        third = await top_after(session, Period.ALL, Mark(second[-1].value, second[-1].user_id))
        offset_page = await top(session, Period.ALL, limit=2, offset=2)
    # where it stands now: the climber is first, so the tied learner is 4th
    assert [(e.rank, e.user_id) for e in second] == [(4, ids[2]), (5, ids[3])]
    assert third == []
    # an offset would have shown the previous page's last learner again
    assert ids[1] in [e.user_id for e in offset_page]
