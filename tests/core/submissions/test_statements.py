"""What a submission costs in statements and transactions: learners wait for every round trip."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.db import session_scope
from core.models import DailyPost, Task
from core.submissions.service import Source, SubmissionService
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import GUILD, make_learner

pytestmark = pytest.mark.usefixtures("content")

ACCEPT = "# accept\nprint(input())\n"
WRONG = "# wrong\nprint(1)\n"
_SUMMARY = re.compile(r"^(SELECT|INSERT INTO|UPDATE|DELETE FROM)\s+`?(\w+)")
#: a first solve, steady state: the score row exists and no achievement unlocks
FIRST_SOLVE = [
    ("SELECT", "tasks"),
    ("SELECT", "test_cases"),
    ("INSERT INTO", "submissions"),
    ("SELECT", "users"),  # the lock, with everything the award depends on
    ("UPDATE", "submissions"),
    ("INSERT INTO", "solves"),
    ("UPDATE", "guild_members"),
    ("UPDATE", "score_counts"),
    ("UPDATE", "users"),
    ("SELECT", "achievements"),
]
#: a re-solve or a wrong answer, the task's tests already read
NO_AWARD = [
    ("SELECT", "tasks"),
    ("INSERT INTO", "submissions"),
    ("SELECT", "users"),
    ("UPDATE", "submissions"),
]


@dataclass
class _Traffic:
    """What reached the database: statements as (verb, first table), and transactions begun."""

    statements: list[tuple[str, str]] = field(default_factory=list)
    transactions: int = 0


@contextmanager
def _traffic(engine: AsyncEngine) -> Iterator[_Traffic]:
    """Record the statements and transactions sent while the block runs."""
    seen = _Traffic()

    def statement(*args: Any) -> None:
        match = _SUMMARY.match(args[2].strip())
        if match is not None:  # transaction control (BEGIN on SQLite) is counted by `begin`
            seen.statements.append((match[1], match[2]))

    def begin(*_: Any) -> None:
        seen.transactions += 1

    event.listen(engine.sync_engine, "before_cursor_execute", statement)
    event.listen(engine.sync_engine, "begin", begin)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", statement)
        event.remove(engine.sync_engine, "begin", begin)


async def test_a_first_solve_is_ten_statements_in_two_transactions(
    engine: AsyncEngine, sessions: Sessions, clock: Clock
) -> None:
    other, learner = await make_learner(sessions, 1), await make_learner(sessions, 2)
    warm = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    for user, slug in [(other, "easy-one"), (other, "easy-two"), (learner, "easy-one")]:
        await warm.submit(user, slug, ACCEPT, Source.DISCORD, GUILD)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    with _traffic(engine) as first:
        outcome = await service.submit(learner, "easy-two", ACCEPT, Source.DISCORD, GUILD)
    assert (outcome.first_solve, outcome.total_points, outcome.achievements) == (True, 20, ())
    assert (first.statements, first.transactions) == (FIRST_SOLVE, 2)
    for code in (ACCEPT, WRONG):
        with _traffic(engine) as again:
            await service.submit(learner, "easy-two", code, Source.DISCORD, GUILD)
        assert (again.statements, again.transactions) == (NO_AWARD, 2)


async def test_a_daily_challenge_solved_ahead_costs_one_more_statement_once(
    engine: AsyncEngine, sessions: Sessions, clock: Clock
) -> None:
    learner = await make_learner(sessions, 1)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    await service.submit(learner, "easy-two", ACCEPT, Source.DISCORD, GUILD)
    clock.now += timedelta(days=1)
    async with session_scope(sessions) as session:
        task_id = await session.scalar(select(Task.id).where(Task.slug == "easy-two"))
        session.add(DailyPost(guild_id=GUILD, day=clock.now.date(), task_id=task_id))
    with _traffic(engine) as daily:
        await service.submit(learner, "easy-two", ACCEPT, Source.DISCORD, GUILD)
    credit_and_streak = [("UPDATE", "solves"), ("UPDATE", "users"), ("SELECT", "achievements")]
    assert (daily.statements, daily.transactions) == (NO_AWARD + credit_and_streak, 2)
    with _traffic(engine) as again:
        await service.submit(learner, "easy-two", ACCEPT, Source.DISCORD, GUILD)
    assert (again.statements, again.transactions) == (NO_AWARD, 2)
