"""The code a learner starts from when they (re)open a task: their last try, else the template.

Retrying should never mean retyping: every way of editing a solution starts from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.catalog import Audience, find_visible_task
from core.models import Submission


@dataclass(frozen=True)
class Draft:
    """The code to put in front of a learner for one task."""

    slug: str
    title: str
    code: str
    #: True when `code` is the learner's last submission, False when it is the task's template
    previous: bool


async def starting_code(
    session: AsyncSession, learner_id: int | None, slug: str, audience: Audience
) -> Draft | None:
    """The learner's last submitted code for the published task `slug` (the template if they
    never submitted any); None when `audience` has no such task."""
    task = await find_visible_task(session, slug, audience, details=False)
    if task is None:
        return None
    last = (
        None
        if learner_id is None
        else await session.scalar(
            select(Submission.code)
            .where(Submission.user_id == learner_id, Submission.task_id == task.id)
            .order_by(Submission.id.desc())
            .limit(1)
        )
    )
    if last is None:
        return Draft(task.slug, task.title, task.template, previous=False)
    return Draft(task.slug, task.title, last, previous=True)
