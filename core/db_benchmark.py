"""Measuring database queries at scale: a synthetic community filled by bulk inserts."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.achievements import award_retroactively
from core.db import session_scope
from core.leaderboards import Period, recount_scores, recount_week_points, top
from core.models import Achievement, GuildMember, Solve, Submission, Task, User
from core.profiles import load_profile
from core.submissions.service import Source, SubmissionService
from sandbox import Comparison, GradeResult, RunLimits, TestCase, TestResult, Verdict

BATCH = 5000
GUILDS = 10
SAMPLE_CODE = "n = int(input())\nprint(sum(range(n + 1)))\n"


class DatabaseNotEmpty(RuntimeError):
    """The benchmark only fills an empty database, never one with real learners."""


@dataclass(frozen=True, slots=True)
class FillReport:
    """How much was inserted."""

    learners: int
    submissions: int
    solves: int
    guild_ids: tuple[int, ...]


async def _insert_batches(
    sessions: async_sessionmaker[AsyncSession],
    model: type[Any],
    rows: Callable[[int, int], list[dict[str, Any]]],
    total: int,
) -> None:
    for start in range(0, total, BATCH):
        async with session_scope(sessions) as session:
            await session.execute(insert(model.__table__), rows(start, min(total, start + BATCH)))


async def fill(
    sessions: async_sessionmaker[AsyncSession],
    learners: int,
    submissions: int,
    now: datetime,
    seed: int = 7,
) -> FillReport:
    """Insert `learners` learners in `GUILDS` servers and `submissions` submissions over a year.

    About half the submissions are accepted; each learner's first accepted submission of a task
    becomes a solve, and learners' points and streaks are set to match.
    """
    async with sessions() as session:
        if await session.scalar(select(func.count()).select_from(User)):
            raise DatabaseNotEmpty(
                "the database already has learners; benchmark on an empty database"
            )
        tasks = (await session.execute(select(Task.id, Task.points))).all()
    if not tasks:
        raise DatabaseNotEmpty("load the content first (codestreak content load)")
    rng = random.Random(seed)
    guild_ids = tuple(900_000_000_000_000_000 + g for g in range(GUILDS))
    year = timedelta(days=365)

    def users(start: int, end: int) -> list[dict[str, Any]]:
        return [
            {
                "id": i + 1,
                "discord_id": 100_000_000_000_000_000 + i,
                "discord_name": f"learner{i}",
                "display_name": f"learner{i}",
                "points": 0,
                "created_at": now - year,
            }
            for i in range(start, end)
        ]

    await _insert_batches(sessions, User, users, learners)

    def members(start: int, end: int) -> list[dict[str, Any]]:
        return [
            {"guild_id": guild_ids[i % GUILDS], "user_id": i + 1, "first_seen_at": now - year}
            for i in range(start, end)
        ]

    await _insert_batches(sessions, GuildMember, members, learners)

    solved: dict[tuple[int, int], tuple[int, datetime, int]] = {}

    def attempts(start: int, end: int) -> list[dict[str, Any]]:
        rows = []
        for i in range(start, end):
            user = rng.randrange(learners) + 1
            task_id, points = tasks[rng.randrange(len(tasks))]
            created = now - timedelta(seconds=rng.randrange(int(year.total_seconds())))
            accepted = rng.random() < 0.5
            rows.append(
                {
                    "id": i + 1,
                    "user_id": user,
                    "task_id": task_id,
                    "guild_id": guild_ids[(user - 1) % GUILDS],
                    "source": Source.DISCORD,
                    "code": SAMPLE_CODE,
                    "verdict": Verdict.ACCEPTED if accepted else Verdict.WRONG_ANSWER,
                    "time_ms": rng.randrange(20, 400),
                    "created_at": created,
                    "finished_at": created,
                }
            )
            key = (user, task_id)
            if accepted and (key not in solved or solved[key][1] > created):
                solved[key] = (i + 1, created, points)
        return rows

    await _insert_batches(sessions, Submission, attempts, submissions)

    solve_rows = [
        {
            "user_id": user,
            "task_id": task_id,
            "submission_id": submission_id,
            "points_awarded": points,
            "first_try": False,
            "daily": False,
            "solved_at": when,
        }
        for (user, task_id), (submission_id, when, points) in solved.items()
    ]
    await _insert_batches(
        sessions, Solve, lambda start, end: solve_rows[start:end], len(solve_rows)
    )
    totals: dict[int, int] = {}
    for (user, _), (_, _, points) in solved.items():
        totals[user] = totals.get(user, 0) + points
    today = now.date()
    user_ids = sorted(totals)

    def scores(start: int, end: int) -> list[dict[str, Any]]:
        rows = []
        for user in user_ids[start:end]:
            streak = rng.randrange(0, 40)
            rows.append(
                {
                    "id": user,
                    "points": totals[user],
                    "current_streak": streak,
                    "best_streak": streak + rng.randrange(0, 20),
                    "last_active_day": today - timedelta(days=rng.randrange(0, 4)),
                }
            )
        return rows

    for start in range(0, len(user_ids), BATCH):
        async with session_scope(sessions) as session:
            await session.execute(update(User), scores(start, start + BATCH))
    async with session_scope(sessions) as session:
        await session.execute(
            update(GuildMember).values(
                points=select(User.points).where(User.id == GuildMember.user_id).scalar_subquery()
            )
        )
        await recount_scores(session)
        await recount_week_points(session, now)
        # learners already hold what they earned, as in a real community
        await award_retroactively(session, list(await session.scalars(select(Achievement))), now)
    return FillReport(learners, submissions, len(solve_rows), guild_ids)


class InstantGrader:
    """Accepts every submission at once, so that recording one measures the database alone."""

    async def grade(
        self,
        code: str,
        cases: Sequence[TestCase],
        comparison: Comparison | None = None,
        limits: RunLimits | None = None,
        *,
        job_id: str | None = None,
    ) -> GradeResult:
        """Every test passes in no time."""
        return GradeResult(
            verdict=Verdict.ACCEPTED,
            tests=tuple(
                TestResult(
                    index=i,
                    passed=True,
                    hidden=c.hidden,
                    verdict=Verdict.ACCEPTED,
                    time_ms=0.0,
                    stdout=c.expected,
                    stderr="",
                    exit_code=0,
                )
                for i, c in enumerate(cases)
            ),
            time_ms=0.0,
        )


async def _timed(action: Callable[[], Awaitable[object]], rounds: int, warmup: int) -> float:
    """Median milliseconds of `rounds` runs of an action, after `warmup` runs not counted
    (connections opened, statements compiled, caches filled: the steady state of a service)."""
    for _ in range(warmup):
        await action()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        await action()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2)


async def measure(
    sessions: async_sessionmaker[AsyncSession],
    report: FillReport,
    now: datetime,
    rounds: int = 50,
    seed: int = 11,
    warmup: int = 10,
) -> dict[str, float]:
    """p50 milliseconds of the queries learners wait for, on a filled database."""
    rng = random.Random(seed)
    guild = report.guild_ids[0]
    async with sessions() as session:
        slugs = list(await session.scalars(select(Task.slug).where(Task.published.is_(True))))

    async def profile() -> None:
        async with sessions() as session:
            await load_profile(session, learner(), now=now)

    def learner() -> int:
        return rng.randrange(report.learners) + 1

    service = SubmissionService(sessions, InstantGrader(), clock=lambda: now)

    async def record() -> None:
        await service.submit(learner(), rng.choice(slugs), SAMPLE_CODE, Source.DISCORD, guild)

    board = {
        "top_all_global": (Period.ALL, None),
        "top_all_server": (Period.ALL, guild),
        "top_week_global": (Period.WEEK, None),
        "top_week_server": (Period.WEEK, guild),
    }
    results = {"profile": await _timed(profile, rounds, warmup)}
    for name, (period, scope) in board.items():

        async def leaderboard(p: Period = period, g: int | None = scope) -> None:
            async with sessions() as session:
                await top(session, p, g, now=now)

        results[name] = await _timed(leaderboard, rounds, warmup)
    results["record_accepted"] = await _timed(record, rounds, warmup)
    return results
