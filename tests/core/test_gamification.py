"""Achievements, leaderboards, daily challenges, profiles, the catalogue and data control."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.achievements import LearnerStats, is_met
from core.catalog import SolvedFilter, autocomplete, list_tasks, task_detail
from core.content.files import read_content
from core.content.loader import load_content
from core.content.schema import Difficulty
from core.daily import NoPublishedTasks, daily_for
from core.db import session_scope
from core.leaderboards import (
    Period,
    rank_of,
    recount_scores,
    recount_week_points,
    top,
    week_start,
)
from core.models import (
    DailyPost,
    GuildMember,
    ScoreCount,
    Solve,
    Submission,
    Task,
    User,
    UserAchievement,
)
from core.privacy import delete_learner, export_learner
from core.profiles import find_learner_by_name, load_profile, view_profile
from core.submissions.ledger import fail_interrupted, recompute_streak
from core.submissions.service import Source, SubmissionService
from tests.support.clocks import Clock
from tests.support.content_factories import achievement_document, write_json
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import GUILD, make_learner

pytestmark = pytest.mark.usefixtures("content")

ACCEPT = "# accept\n"


async def _solve(
    sessions: Sessions, clock: Clock, user: int, slug: str, guild: int | None = GUILD
) -> None:
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    assert (await service.submit(user, slug, ACCEPT, Source.DISCORD, guild)).accepted


def test_conditions() -> None:
    stats = LearnerStats(
        points=120, solved=6, best_streak=7, solved_by_difficulty={"hard": 2}, first_try=3, daily=1
    )
    assert is_met({"points": 120}, stats)
    assert not is_met({"points": 121}, stats)
    assert is_met({"streak": 7}, stats)
    assert is_met({"solved_difficulty": {"hard": 2}}, stats)
    assert not is_met({"solved_difficulty": {"hard": 2, "medium": 1}}, stats)
    assert is_met({"all": [{"first_try": 3}, {"daily": 1}]}, stats)
    assert not is_met({"all": [{"first_try": 3}, {"solved": 7}]}, stats)


async def test_new_achievement_is_awarded_retroactively(
    sessions: Sessions, clock: Clock, tmp_path: Path
) -> None:
    veteran = await make_learner(sessions, 1)
    newcomer = await make_learner(sessions, 2)
    for slug in ("easy-one", "easy-two"):
        await _solve(sessions, clock, veteran, slug)
    folder = tmp_path / "more"
    write_json(
        folder / "achievements" / "two-down.json",
        achievement_document("two-down", condition={"solved": 2}),
    )
    async with session_scope(sessions) as session:
        result = await load_content(session, read_content(folder))
    assert result.awarded == 1
    async with sessions() as session:
        owners = await session.scalars(
            select(UserAchievement.user_id)
            .join_from(
                UserAchievement, Task, Task.id == UserAchievement.achievement_id, isouter=True
            )
            .where(UserAchievement.user_id.in_([veteran, newcomer]))
        )
        assert newcomer not in set(owners)
    async with session_scope(sessions) as session:
        again = await load_content(session, read_content(folder))
    assert again.awarded == 0


async def test_leaderboards_rank_with_stable_ties(sessions: Sessions, clock: Clock) -> None:
    a, b, c = [await make_learner(sessions, i) for i in (1, 2, 3)]
    outsider = await make_learner(sessions, 4, guild_id=GUILD + 1)
    await _solve(sessions, clock, a, "easy-one")
    await _solve(sessions, clock, b, "hard-one")
    await _solve(sessions, clock, c, "easy-two")
    await _solve(sessions, clock, outsider, "hard-one", guild=GUILD + 1)
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
            await _solve(sessions, clock, user, slug)
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
    await _solve(sessions, clock, a, "hard-one")  # week of 4 May: 40
    clock.now += timedelta(days=7)  # week of 11 May
    await _solve(sessions, clock, a, "easy-one")
    await _solve(sessions, clock, b, "easy-one")
    await _solve(sessions, clock, b, "easy-two")
    await _solve(sessions, clock, b, "easy-two")  # solved before: nothing more
    await _solve(sessions, clock, outsider, "hard-one", guild=GUILD + 1)

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
    await _solve(sessions, clock, a, "hard-one")
    clock.now += timedelta(days=7)
    await _solve(sessions, clock, b, "easy-one")
    assert week_start(clock.now).date() == date(2026, 5, 11)
    async with sessions() as session:
        weekly = await top(session, Period.WEEK, GUILD, now=clock.now)
        assert [(e.user_id, e.value) for e in weekly] == [(b, 10)]
        overall = await top(session, Period.ALL, GUILD, now=clock.now)
        assert [e.user_id for e in overall] == [a, b]


async def test_streak_board_drops_broken_streaks(sessions: Sessions, clock: Clock) -> None:
    a, b = await make_learner(sessions, 1), await make_learner(sessions, 2)
    await _solve(sessions, clock, a, "easy-one")
    clock.now += timedelta(days=1)
    await _solve(sessions, clock, a, "easy-two")
    await _solve(sessions, clock, b, "easy-one")
    async with sessions() as session:
        board = await top(session, Period.STREAK, now=clock.now)
        assert [(e.user_id, e.value) for e in board] == [(a, 2), (b, 1)]
        later = await top(session, Period.STREAK, now=clock.now + timedelta(days=2))
        assert later == []


async def test_daily_choice_is_stable_and_rotates_without_repeats(sessions: Sessions) -> None:
    async with session_scope(sessions) as session:
        first = await daily_for(session, GUILD, date(2026, 5, 1))
        again = await daily_for(session, GUILD, date(2026, 5, 1))
        assert again.task_id == first.task_id
        published = await session.scalar(
            select(func.count()).select_from(Task).where(Task.published.is_(True))
        )
        chosen = [first.task_id] + [
            (await daily_for(session, GUILD, date(2026, 5, 1) + timedelta(days=i))).task_id
            for i in range(1, 2 * int(published or 0))
        ]
    assert published == 3
    assert len(set(chosen[:3])) == 3
    assert len(set(chosen[3:])) == 3
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(DailyPost)) == 6


async def test_daily_choice_is_race_safe(sessions: Sessions) -> None:
    async def ask() -> int:
        async with session_scope(sessions) as session:
            return (await daily_for(session, GUILD, date(2026, 6, 1))).task_id

    assert len(set(await asyncio.gather(*(ask() for _ in range(8))))) == 1


async def test_no_published_task_says_so(sessions: Sessions) -> None:
    async with session_scope(sessions) as session:
        for task in await session.scalars(select(Task)):
            task.published = False
    async with session_scope(sessions) as session:
        with pytest.raises(NoPublishedTasks, match="publish"):
            await daily_for(session, GUILD, date(2026, 5, 1))


async def test_profile_shows_everything(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    await _solve(sessions, clock, user, "easy-one")
    clock.now += timedelta(days=1)
    await _solve(sessions, clock, user, "hard-one")
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
    await _solve(sessions, clock, user, "easy-one")
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


async def test_catalogue_filters(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    await _solve(sessions, clock, user, "easy-two")
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


async def test_export_and_delete(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    other = await make_learner(sessions, 2)
    await _solve(sessions, clock, user, "easy-one")
    await _solve(sessions, clock, other, "easy-one")
    async with sessions() as session:
        exported = await export_learner(session, user)
    assert exported is not None
    json.dumps(exported)
    assert exported["account"]["discord_id"] == 1
    assert "password_hash" not in exported["account"]
    assert [s["task"] for s in exported["submissions"]] == ["easy-one"]
    assert exported["submissions"][0]["code"] == ACCEPT
    assert exported["servers"] == [str(GUILD)]
    assert len(exported["achievements"]) == 1
    async with session_scope(sessions) as session:
        assert await delete_learner(session, user)
    async with session_scope(sessions) as session:
        assert not await delete_learner(session, user)
    async with sessions() as session:
        for model in (Submission, Solve, UserAchievement):
            owners = set(await session.scalars(select(model.user_id)))
            assert owners == {other}
        assert await session.get(User, user) is None
        assert await export_learner(session, user) is None


async def test_streak_recompute_matches_the_flow(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    for step in [0, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 2, 1]:
        clock.now += timedelta(days=step)
        await _solve(sessions, clock, user, "easy-one")
    async with sessions() as session:
        stored = await session.get(User, user)
        derived = await recompute_streak(session, user)
    assert stored is not None
    assert (stored.current_streak, stored.best_streak, stored.streak_freezes) == (
        derived.current,
        derived.best,
        derived.freezes,
    )
    assert stored.last_active_day == derived.last_day
    assert (derived.best, derived.current) == (10, 10)  # day 14 bridged by a freeze


async def test_interrupted_gradings_become_sandbox_errors(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    with pytest.raises(RuntimeError):
        await service.submit(user, "easy-one", "# crash\n", Source.WEB)
    async with session_scope(sessions) as session:
        failed = await fail_interrupted(session)
    assert [s.user_id for s in failed] == [user]
    async with sessions() as session:
        submission = await session.scalar(select(Submission))
        assert submission is not None
        assert submission.verdict == "sandbox_error"
        assert "restarted" in (submission.message or "")
    async with session_scope(sessions) as session:
        assert await fail_interrupted(session) == []
