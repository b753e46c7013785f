"""A task's life in the designer: draft, saved versions, validation, published, unpublished.

Every saved change is a new version (see `core.content.loader.upsert_tasks`); publishing needs a
passing sandbox validation of the current version, and a published task only takes changes that
passed one, so learners never meet an unproved version.

Each task has an owner: the shared catalogue (`GLOBAL_CATALOGUE`) or one server. Every action
names the owner whose tasks it changes; who may act for which owner is `core.moderators`' to say.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from core.catalog import DIFFICULTY_ORDER
from core.content.loader import shared_slug_refusal, shared_slugs, upsert_tasks
from core.content.schema import Difficulty, TaskFile
from core.models import GLOBAL_CATALOGUE, Task, TaskVersion, User
from sandbox import CompareMode
from sandbox.calls import steps_of

logger = logging.getLogger(__name__)


class DesignerRefused(ValueError):
    """A designer action was refused; the message says why and what to do."""


class TaskMissing(DesignerRefused):
    """The action names a task that does not exist."""


class Status(StrEnum):
    """Where a task is in its life."""

    DRAFT = "draft"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"


def status_of(task: Task) -> Status:
    """Draft until first published; then published or unpublished."""
    if task.published:
        return Status.PUBLISHED
    return Status.DRAFT if task.first_published_at is None else Status.UNPUBLISHED


def is_validated(task: Task) -> bool:
    """Whether the current version passed a sandbox validation."""
    return task.validated_version == task.version


def changes_need_validation(task: Task | None) -> bool:
    """Whether saving changes to `task` needs a passing validation first: learners can see a
    published task, so it only takes proved versions."""
    return task is not None and task.published


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A task in the moderators' list."""

    slug: str
    title: str
    difficulty: Difficulty
    status: Status
    version: int
    validated: bool
    updated_at: datetime
    owner_guild_id: int


@dataclass(frozen=True, slots=True)
class VersionEntry:
    """One saved version of a task."""

    version: int
    saved_by: str | None
    saved_at: datetime
    published: bool


async def designer_list(
    session: AsyncSession, owners: Collection[int] = (GLOBAL_CATALOGUE,)
) -> list[TaskRow]:
    """Every task of these owners, drafts and unpublished ones included: the shared catalogue's
    first, then each server's, easiest first."""
    tasks = await session.scalars(
        select(Task)
        .where(Task.owner_guild_id.in_(list(owners)))
        .order_by(Task.owner_guild_id, DIFFICULTY_ORDER, Task.title, Task.id)
    )
    return [
        TaskRow(
            t.slug,
            t.title,
            t.difficulty,
            status_of(t),
            t.version,
            is_validated(t),
            t.updated_at,
            t.owner_guild_id,
        )
        for t in tasks
    ]


async def find_task(session: AsyncSession, slug: str, owner: int = GLOBAL_CATALOGUE) -> Task | None:
    """The task of `owner` with this slug, published or not."""
    return await session.scalar(
        select(Task)
        .where(Task.owner_guild_id == owner, Task.slug == slug)
        .options(selectinload(Task.tags), selectinload(Task.tests))
    )


def _rebuilt(task: Task) -> TaskFile:
    """A task file from the row alone, for tasks saved before versions were kept."""
    document: dict[str, Any] = {
        "slug": task.slug,
        "title": task.title,
        "difficulty": task.difficulty,
        "points": task.points,
        "tags": task.tag_names,
        "statement": task.statement,
        "template": task.template,
        "solution": task.solution,
        "wrong_solutions": task.wrong_solutions,
        "limits": {"time_s": task.time_limit_s, "memory_mb": task.memory_mb},
        "compare": {"mode": task.compare_mode, "tolerance": task.compare_tolerance},
        "hints": task.hints,
        "published": task.published,
    }
    document["tests"], document["entry"] = _stored_tests(task)
    return TaskFile.model_validate(document)


def _stored_tests(task: Task) -> tuple[list[dict[str, Any]], str | None]:
    """The task's tests as the task format writes them, and the entry a call task's tests call
    (stored with each test's calls)."""
    if task.compare_mode is not CompareMode.CALL:
        stdin = [{"input": t.input, "output": t.output, "hidden": t.hidden} for t in task.tests]
        return stdin, None
    entry, tests = None, []
    for test in task.tests:
        entry, steps = steps_of(test.input, test.output)
        tests.append({"steps": steps, "hidden": test.hidden})
    return tests, entry


async def current_task_file(session: AsyncSession, task: Task) -> TaskFile:
    """The current version of a task as a task file (what `data/tasks/<slug>.json` holds).

    The saved document of the current version keeps the author's order of tags; the published
    flag is the task's present state, which Discord's publish command changes in place.
    """
    document = await session.scalar(
        select(TaskVersion.document).where(
            TaskVersion.task_id == task.id, TaskVersion.version == task.version
        )
    )
    if document is None:
        return _rebuilt(task)
    return TaskFile.model_validate({**document, "published": task.published})


def export_json(task: TaskFile) -> str:
    """A task file's text as `data/tasks/` stores it: pretty-printed JSON."""
    return json.dumps(task.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


async def history(session: AsyncSession, task: Task) -> list[VersionEntry]:
    """Every saved version of a task, newest first, with who saved it."""
    rows = await session.execute(
        select(TaskVersion.version, User.display_name, TaskVersion.saved_at, TaskVersion.document)
        .outerjoin(User, User.id == TaskVersion.saved_by)
        .where(TaskVersion.task_id == task.id)
        .order_by(TaskVersion.version.desc())
    )
    return [
        VersionEntry(version, name, saved_at, bool(document.get("published")))
        for version, name, saved_at, document in rows
    ]


@dataclass(frozen=True, slots=True)
class Saved:
    """What saving did."""

    created: bool
    changed: bool
    version: int


async def save_task(
    session: AsyncSession,
    data: TaskFile,
    saved_by: int,
    *,
    new: bool,
    validated: bool,
    owner: int = GLOBAL_CATALOGUE,
) -> Saved:
    """Save a task of `owner` from the designer (in the caller's transaction); a change is a new
    version.

    A new task starts as a draft and its slug must be free for its owner (a server's, also in
    the shared catalogue); an existing task keeps its published state, and its equivalent
    mutants' marks unless the saved file brings its own. A published task takes
    only validated changes. Validating unchanged content marks the current version as validated.
    """
    existing = await find_task(session, data.slug, owner)
    if new and existing is not None:
        raise DesignerRefused(f"A task with the slug '{data.slug}' already exists.")
    if not new and existing is None:
        raise TaskMissing(f"There is no task '{data.slug}'.")
    if new and await shared_slugs(session, [data.slug], owner):
        raise DesignerRefused(shared_slug_refusal(data.slug))
    if changes_need_validation(existing) and not validated:
        raise DesignerRefused(
            "This task is published, so changes must pass validation before they are saved."
        )
    data = data.model_copy(update={"published": existing is not None and existing.published})
    if existing is not None and not data.equivalent_mutants:
        # the form does not edit them: the marks of the version it started from stay
        kept = (await current_task_file(session, existing)).equivalent_mutants
        data = data.model_copy(update={"equivalent_mutants": kept})
    report = await upsert_tasks(
        session, [data], saved_by=saved_by, validated=validated, owner=owner
    )
    task = existing or await find_task(session, data.slug, owner)
    assert task is not None
    if validated and task.content_hash == data.content_hash():
        task.validated_version = task.version
    logger.info("task %s saved as version %d by user %d", data.slug, task.version, saved_by)
    return Saved(bool(report.created), report.changed, task.version)


async def set_published(
    session: AsyncSession, slug: str, published: bool, saved_by: int, owner: int = GLOBAL_CATALOGUE
) -> Task:
    """Publish or unpublish a task of `owner` as a new version; publishing needs a validated
    version."""
    task = await find_task(session, slug, owner)
    if task is None:
        raise TaskMissing(f"There is no task '{slug}'. Check the name in the task list.")
    if published and not is_validated(task):
        raise DesignerRefused(
            f"Version {task.version} has not passed validation yet. Validate it, then publish."
        )
    if task.published == published:
        return task
    validated = is_validated(task)
    current = await current_task_file(session, task)
    await upsert_tasks(
        session,
        [current.model_copy(update={"published": published})],
        saved_by=saved_by,
        validated=validated,
        owner=owner,
    )
    logger.info(
        "task %s %s by user %d", slug, "published" if published else "unpublished", saved_by
    )
    return task
