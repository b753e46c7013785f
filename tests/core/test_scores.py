"""One writer of scores: the learner's row, the memberships' mirror and the score counts agree."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from core.db import session_scope
from core.learners import remember_member
from core.models import GuildMember, ScoreCount, User
from core.scores import Score, read_score, store_local_score, store_score
from core.streaks import StreakState
from tests.support.databases import Sessions
from tests.support.learners import GUILD, make_learner

MONDAY = date(2026, 5, 4)


async def _kept(
    sessions: Sessions, user_id: int
) -> tuple[Score | None, set[Score], dict[int, int]]:
    """The learner's score, their memberships' scores and the non-empty score counts."""
    async with sessions() as session:
        members = await session.execute(
            select(GuildMember.points, GuildMember.week_start, GuildMember.week_points).where(
                GuildMember.user_id == user_id
            )
        )
        counts = await session.execute(
            select(ScoreCount.points, ScoreCount.learners).where(ScoreCount.learners > 0)
        )
        return (
            await read_score(session, user_id),
            {Score(m.points, m.week_start, m.week_points) for m in members},
            {row.points: row.learners for row in counts},
        )


async def test_a_score_is_written_everywhere_it_is_kept(sessions: Sessions) -> None:
    learner, other = await make_learner(sessions, 1), await make_learner(sessions, 2)
    async with session_scope(sessions) as session:
        await remember_member(session, GUILD + 1, learner)
        await store_score(session, other, Score(), Score(10, MONDAY, 10))
        await store_score(session, learner, Score(), Score(10, MONDAY, 10))
    assert await _kept(sessions, learner) == (
        Score(10, MONDAY, 10),
        {Score(10, MONDAY, 10)},
        {10: 2},
    )

    streak = StreakState(1, 1, MONDAY, 0)
    async with session_scope(sessions) as session:
        await store_score(session, learner, Score(10, MONDAY, 10), Score(30, MONDAY, 30), streak)
    assert await _kept(sessions, learner) == (
        Score(30, MONDAY, 30),
        {Score(30, MONDAY, 30)},
        {10: 1, 30: 1},
    )
    async with sessions() as session:
        stored = await session.get(User, learner)
        assert stored is not None
        assert (stored.current_streak, stored.last_active_day) == (1, MONDAY)

    async with session_scope(sessions) as session:
        await store_score(session, learner, Score(30, MONDAY, 30), None)  # leaving
    assert (await _kept(sessions, learner))[2] == {10: 1}


async def test_a_learner_seen_in_a_new_server_brings_their_score(sessions: Sessions) -> None:
    learner = await make_learner(sessions, 1)
    async with session_scope(sessions) as session:
        await store_score(session, learner, Score(), Score(40, MONDAY, 20))
        await remember_member(session, GUILD + 1, learner)
    assert (await _kept(sessions, learner))[1] == {Score(40, MONDAY, 20)}


async def _boards(sessions: Sessions, user_id: int) -> dict[int, Score]:
    """What each of the learner's servers' boards show of them."""
    async with sessions() as session:
        members = await session.scalars(select(GuildMember).where(GuildMember.user_id == user_id))
        return {m.guild_id: Score(m.points, m.week_start, m.week_points) for m in members}


async def test_a_servers_own_points_count_on_its_boards_only(sessions: Sessions) -> None:
    learner = await make_learner(sessions, 1)
    own = GUILD + 1
    async with session_scope(sessions) as session:
        await remember_member(session, own, learner)
        await store_local_score(session, learner, own, Score(), Score(15, MONDAY, 15))
    assert await _kept(sessions, learner) == (
        Score(),
        {Score(0, MONDAY, 0), Score(15, MONDAY, 15)},
        {},
    )
    async with session_scope(sessions) as session:
        await store_score(session, learner, Score(), Score(10, MONDAY, 10))
    assert await _boards(sessions, learner) == {
        GUILD: Score(10, MONDAY, 10),
        own: Score(25, MONDAY, 25),
    }
    next_monday = MONDAY + timedelta(days=7)
    async with session_scope(sessions) as session:
        await store_score(session, learner, Score(10, MONDAY, 10), Score(30, next_monday, 20))
    assert await _boards(sessions, learner) == {
        GUILD: Score(30, next_monday, 20),
        own: Score(45, next_monday, 20),  # last week's own points are last week's
    }
    async with session_scope(sessions) as session:
        await store_local_score(
            session, learner, own, Score(30, next_monday, 20), Score(20, next_monday, 5)
        )
    assert await _boards(sessions, learner) == {
        GUILD: Score(30, next_monday, 20),
        own: Score(50, next_monday, 25),
    }
    assert await _kept(sessions, learner) == (
        Score(30, next_monday, 20),
        {Score(30, next_monday, 20), Score(50, next_monday, 25)},
        {30: 1},
    )


def test_a_score_seen_from_another_week_has_no_weekly_points() -> None:
    score = Score(40, MONDAY, 15)
    assert score.in_week(MONDAY) == score
    assert score.in_week(MONDAY + timedelta(days=7)) == Score(40, MONDAY + timedelta(days=7), 0)
