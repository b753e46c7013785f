"""Upserting content files into the database: idempotent and all-or-nothing.

Tasks are matched by owner and slug: the shared catalogue's (shipped content, curators' tasks)
or one server's. A server may not give a new task a slug of the shared catalogue.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from core.achievements import award_retroactively
from core.content.files import ContentSet, Parsed
from core.content.schema import AchievementFile, TaskFile
from core.content.verify import verify_tasks
from core.grading import Grader
from core.models import (
    GLOBAL_CATALOGUE,
    Achievement,
    HintReveal,
    Task,
    TaskTag,
    TaskVersion,
    TestCase,
    utcnow,
)


class ContentError(ValueError):
    """Content was refused; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(slots=True)
class LoadReport:
    """What a load changed, by kind of content."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        """True when the load wrote anything."""
        return bool(self.created or self.updated)


def apply_task_file(task: Task, data: TaskFile) -> None:
    """Copy a task file's fields onto a task row (new or existing)."""
    task.slug = data.slug
    task.title = data.title
    task.difficulty = data.difficulty
    task.points = data.awarded_points
    task.statement = data.statement
    task.template = data.template
    task.solution = data.solution
    task.wrong_solutions = [w.model_dump() for w in data.wrong_solutions]
    task.hints = list(data.hints)
    task.time_limit_s = data.limits.time_s
    task.memory_mb = data.limits.memory_mb
    task.compare_mode = data.compare.mode
    task.compare_tolerance = data.compare.tolerance
    task.published = data.published
    task.content_hash = data.content_hash()
    task.tags = [TaskTag(tag=tag) for tag in sorted(set(data.tags))]
    task.tests = [
        TestCase(position=i, input=t.input, output=t.output, hidden=t.hidden)
        for i, t in enumerate(data.tests)
    ]


def apply_achievement_file(achievement: Achievement, data: AchievementFile) -> None:
    """Copy an achievement file's fields onto an achievement row (new or existing)."""
    achievement.slug = data.slug
    achievement.name = data.name
    achievement.description = data.description
    achievement.emoji = data.emoji
    achievement.condition = data.condition.model_dump(mode="json", exclude_none=True)
    achievement.role = data.role
    achievement.content_hash = data.content_hash()


def shared_slug_refusal(slug: str) -> str:
    """Why a server's new task may not take `slug`: the shared catalogue has it."""
    return (
        f"The slug '{slug}' belongs to a task of the shared catalogue; "
        "choose another slug for this server's task."
    )


async def shared_slugs(session: AsyncSession, slugs: Collection[str], owner: int) -> list[str]:
    """The slugs, among those `owner` has no task with yet, that the shared catalogue already
    uses: a server's new task may not take them (none for the shared catalogue itself). A
    server's existing task keeps its slug even when a global task takes it later."""
    if owner == GLOBAL_CATALOGUE or not slugs:
        return []
    owned = aliased(Task)
    return list(
        await session.scalars(
            select(Task.slug)
            .where(
                Task.owner_guild_id == GLOBAL_CATALOGUE,
                Task.slug.in_(slugs),
                ~exists().where(owned.owner_guild_id == owner, owned.slug == Task.slug),
            )
            .order_by(Task.slug)
        )
    )


async def upsert_tasks(
    session: AsyncSession,
    tasks: list[TaskFile],
    saved_by: int | None = None,
    validated: bool = False,
    owner: int = GLOBAL_CATALOGUE,
) -> LoadReport:
    """Insert new tasks of `owner` and update changed ones, matched by owner and slug; each
    change is a new version.

    `validated` records that the written versions were proved in the sandbox. Raises
    ContentError, writing nothing, when a server's new task would take a shared catalogue slug.
    """
    clashes = await shared_slugs(session, [t.slug for t in tasks], owner)
    if clashes:
        raise ContentError([shared_slug_refusal(slug) for slug in clashes])
    report = LoadReport()
    existing = {
        t.slug: t
        for t in await session.scalars(
            select(Task)
            .where(Task.owner_guild_id == owner, Task.slug.in_([t.slug for t in tasks]))
            .options(selectinload(Task.tags), selectinload(Task.tests))
        )
    }
    for data in tasks:
        row = existing.get(data.slug)
        if row is not None and row.content_hash == data.content_hash():
            report.unchanged += 1
            continue
        if row is None:
            row = Task(version=1, owner_guild_id=owner)
            session.add(row)
            report.created.append(data.slug)
        else:
            report.updated.append(data.slug)
            row.version += 1
            # Replace children in two steps so unique (task, position) never collides.
            row.tests = []
            row.tags = []
            await session.flush()
        apply_task_file(row, data)
        row.validated_version = row.version if validated else None
        if row.id is not None:
            await _forget_removed_hints(session, row.id, len(data.hints))
        if row.published and row.first_published_at is None:
            row.first_published_at = utcnow()
        await session.flush()
        session.add(
            TaskVersion(
                task_id=row.id,
                version=row.version,
                document=data.model_dump(mode="json"),
                saved_by=saved_by,
            )
        )
    await session.flush()
    return report


async def _forget_removed_hints(session: AsyncSession, task_id: int, hints: int) -> None:
    """Count no more revealed hints than the task now has: a learner is never charged for
    hints an author removed."""
    await session.execute(
        update(HintReveal)
        .where(HintReveal.task_id == task_id, HintReveal.revealed > hints)
        .values(revealed=hints)
    )


async def upsert_achievements(
    session: AsyncSession, achievements: list[AchievementFile]
) -> tuple[LoadReport, list[Achievement]]:
    """Insert new achievements and update changed ones; also return the rows written."""
    report = LoadReport()
    written: list[Achievement] = []
    existing = {
        a.slug: a
        for a in await session.scalars(
            select(Achievement).where(Achievement.slug.in_([a.slug for a in achievements]))
        )
    }
    for data in achievements:
        row = existing.get(data.slug)
        if row is not None and row.content_hash == data.content_hash():
            report.unchanged += 1
            continue
        if row is None:
            row = Achievement()
            session.add(row)
            report.created.append(data.slug)
        else:
            report.updated.append(data.slug)
        apply_achievement_file(row, data)
        written.append(row)
    await session.flush()
    return report, written


@dataclass(slots=True)
class ContentLoad:
    """The result of loading a whole content folder."""

    tasks: LoadReport
    achievements: LoadReport
    awarded: int = 0

    @property
    def changed(self) -> bool:
        """True when anything was written."""
        return self.tasks.changed or self.achievements.changed


async def changed_tasks(
    session: AsyncSession, tasks: list[Parsed[TaskFile]]
) -> list[Parsed[TaskFile]]:
    """The shared catalogue's tasks that are new or differ from what the database holds."""
    stored = dict(
        (
            await session.execute(
                select(Task.slug, Task.content_hash).where(
                    Task.owner_guild_id == GLOBAL_CATALOGUE,
                    Task.slug.in_([t.item.slug for t in tasks]),
                )
            )
        ).all()
    )
    return [t for t in tasks if stored.get(t.item.slug) != t.item.content_hash()]


async def load_content(
    session: AsyncSession, content: ContentSet, grader: Grader | None = None
) -> ContentLoad:
    """Load a validated content set into the shared catalogue, in the caller's transaction;
    refuse it whole on any problem.

    With a grader, every new or changed task is first proved in the sandbox (its reference
    solution passes, each wrong solution fails). New or changed achievements are given at once
    to every learner who already qualifies.
    """
    if not content.ok:
        raise ContentError([str(p) for p in content.problems])
    if grader is not None:
        pending = await changed_tasks(session, content.tasks)
        checked = await verify_tasks(grader, [(str(t.path), t.item) for t in pending])
        problems = [str(p) for v in checked for p in v.problems]
        if problems:
            raise ContentError(problems)
    tasks = await upsert_tasks(
        session, [p.item for p in content.tasks], validated=grader is not None
    )
    achievements, written = await upsert_achievements(
        session, [p.item for p in content.achievements]
    )
    awarded = await award_retroactively(session, written, utcnow())
    return ContentLoad(tasks, achievements, awarded)
