"""A learner's own submissions, newest first, for `/history`: what they tried and how it went.

Only the tasks of an audience are listed (the shared catalogue and the server asked in), so a
server's own tasks never show outside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.catalog import Audience
from core.models import Submission, Task
from core.verdicts import SubmissionVerdict


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One submission as the learner's history lists it."""

    id: int
    task_slug: str
    task_title: str
    verdict: SubmissionVerdict
    passed: int | None
    tests: int | None
    time_ms: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class HistoryPage:
    """A page of a learner's submissions and how many there are in all."""

    entries: tuple[HistoryEntry, ...]
    total: int


def _passed(results: list[dict[str, Any]] | None) -> tuple[int | None, int | None]:
    if not results:
        return None, None
    return sum(bool(test.get("passed")) for test in results), len(results)


async def submission_history(
    session: AsyncSession,
    user_id: int,
    audience: Audience,
    *,
    task_slug: str | None = None,
    limit: int = 10,
    offset: int = 0,
) -> HistoryPage:
    """The learner's submissions to tasks of `audience` (of one task with `task_slug`), newest
    first, `limit` from `offset`."""
    where = [Submission.user_id == user_id, Task.owner_guild_id.in_(audience)]
    if task_slug is not None:
        where.append(Task.slug == task_slug)
    total = await session.scalar(
        select(func.count(Submission.id)).join(Task, Task.id == Submission.task_id).where(*where)
    )
    rows = await session.execute(
        select(
            Submission.id,
            Task.slug,
            Task.title,
            Submission.verdict,
            Submission.results,
            Submission.time_ms,
            Submission.created_at,
        )
        .join(Task, Task.id == Submission.task_id)
        .where(*where)
        .order_by(Submission.created_at.desc(), Submission.id.desc())
        .limit(limit)
        .offset(offset)
    )
    entries = tuple(
        HistoryEntry(id_, slug, title, verdict, *_passed(results), time_ms, created)
        for id_, slug, title, verdict, results, time_ms, created in rows
    )
    return HistoryPage(entries, total or 0)
