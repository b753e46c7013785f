"""Adding or updating one task from an uploaded JSON document.

The one code path behind the bot's task upload, the website's import and `content load`:
the same validation, the same sandbox proof, the same upsert.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.content.files import Problem, parse_document
from core.content.loader import ContentError, shared_slug_refusal, shared_slugs, upsert_tasks
from core.content.schema import TaskFile
from core.content.verify import TaskVerification, verify_task
from core.grading import Grader
from core.models import GLOBAL_CATALOGUE


@dataclass(frozen=True, slots=True)
class TaskImport:
    """What importing one task document did."""

    task: TaskFile
    created: bool
    changed: bool
    verification: TaskVerification


async def import_task_document(
    session: AsyncSession,
    grader: Grader,
    raw: bytes,
    name: str,
    saved_by: int | None = None,
    owner: int = GLOBAL_CATALOGUE,
) -> TaskImport:
    """Validate, prove in the sandbox, and upsert one task document of `owner` (the shared
    catalogue or one server), in the caller's transaction.

    Raises ContentError listing every problem as "name: field: reason", including a server's
    new task taking a slug of the shared catalogue; nothing is written then.
    """
    task, problems = parse_document(name, raw, TaskFile)
    if task is None:
        raise ContentError([str(p) for p in problems])
    if await shared_slugs(session, [task.slug], owner):
        raise ContentError([str(Problem(name, "slug", shared_slug_refusal(task.slug)))])
    verification = await verify_task(grader, task, name)
    if verification.problems:
        raise ContentError([str(p) for p in verification.problems])
    report = await upsert_tasks(session, [task], saved_by=saved_by, validated=True, owner=owner)
    return TaskImport(task, bool(report.created), report.changed, verification)
