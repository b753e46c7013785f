"""The task catalogue as learners browse it: filtered lists, details and autocomplete."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Select, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from core.content.schema import Difficulty
from core.models import Solve, Task, TaskTag, TestCase
from sandbox import CompareMode

DIFFICULTY_ORDER = case(
    {difficulty: rank for rank, difficulty in enumerate(Difficulty)},
    value=Task.difficulty,
    else_=len(Difficulty),
)


class SolvedFilter(StrEnum):
    """Whether to list the tasks a learner solved, or those still open."""

    SOLVED = "solved"
    UNSOLVED = "unsolved"


@dataclass(frozen=True, slots=True)
class TaskSummary:
    """A task in a list."""

    slug: str
    title: str
    difficulty: Difficulty
    points: int
    tags: tuple[str, ...]
    solve_count: int
    solved: bool | None
    published: bool


@dataclass(frozen=True, slots=True)
class Example:
    """A visible test shown with the statement."""

    input: str
    output: str


@dataclass(frozen=True, slots=True)
class TaskDetail:
    """A task as shown on its page: statement, examples, limits and status."""

    slug: str
    title: str
    difficulty: Difficulty
    points: int
    tags: tuple[str, ...]
    statement: str
    template: str
    time_limit_s: float
    memory_mb: int
    compare_mode: CompareMode
    compare_tolerance: float | None
    examples: tuple[Example, ...]
    hidden_tests: int
    solve_count: int
    solved: bool | None
    published: bool


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _filtered(
    difficulty: Difficulty | None,
    tag: str | None,
    text: str | None,
    status: SolvedFilter | None,
    user_id: int | None,
    include_unpublished: bool,
) -> Select[Task]:
    query = select(Task)
    if not include_unpublished:
        query = query.where(Task.published.is_(True))
    if difficulty:
        query = query.where(Task.difficulty == difficulty)
    if tag:
        query = query.where(exists().where(TaskTag.task_id == Task.id, TaskTag.tag == tag))
    if text and text.strip():
        pattern = _like(text.strip())
        query = query.where(
            or_(
                func.lower(Task.title).like(pattern, escape="\\"),
                func.lower(Task.slug).like(pattern, escape="\\"),
            )
        )
    if status is not None and user_id is not None:
        solved = exists().where(Solve.task_id == Task.id, Solve.user_id == user_id)
        query = query.where(solved if status is SolvedFilter.SOLVED else ~solved)
    return query


async def list_tasks(
    session: AsyncSession,
    *,
    difficulty: Difficulty | None = None,
    tag: str | None = None,
    text: str | None = None,
    status: SolvedFilter | None = None,
    user_id: int | None = None,
    include_unpublished: bool = False,
    limit: int = 25,
    offset: int = 0,
) -> tuple[list[TaskSummary], int]:
    """One page of tasks matching the filters (easy first, then by title) and the total count."""
    query = _filtered(difficulty, tag, text, status, user_id, include_unpublished)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    page = list(
        await session.scalars(
            query.options(selectinload(Task.tags))
            .order_by(DIFFICULTY_ORDER, func.lower(Task.title), Task.id)
            .limit(limit)
            .offset(offset)
        )
    )
    counts = await _solve_counts(session, [t.id for t in page])
    solved = await _solved_by(session, user_id, [t.id for t in page])
    return [
        TaskSummary(
            t.slug,
            t.title,
            t.difficulty,
            t.points,
            tuple(t.tag_names),
            counts.get(t.id, 0),
            (t.id in solved) if user_id is not None else None,
            t.published,
        )
        for t in page
    ], int(total or 0)


async def _solve_counts(session: AsyncSession, task_ids: list[int]) -> dict[int, int]:
    if not task_ids:
        return {}
    rows = await session.execute(
        select(Solve.task_id, func.count())
        .where(Solve.task_id.in_(task_ids))
        .group_by(Solve.task_id)
    )
    return {int(task_id): int(count) for task_id, count in rows}


async def _solved_by(session: AsyncSession, user_id: int | None, task_ids: list[int]) -> set[int]:
    if user_id is None or not task_ids:
        return set()
    return set(
        await session.scalars(
            select(Solve.task_id).where(Solve.user_id == user_id, Solve.task_id.in_(task_ids))
        )
    )


async def all_tags(session: AsyncSession) -> list[str]:
    """Every tag used by a published task, for filter menus."""
    return list(
        await session.scalars(
            select(TaskTag.tag)
            .join(Task, Task.id == TaskTag.task_id)
            .where(Task.published.is_(True))
            .distinct()
            .order_by(TaskTag.tag)
        )
    )


async def task_detail(
    session: AsyncSession,
    slug: str,
    user_id: int | None = None,
    include_unpublished: bool = False,
) -> TaskDetail | None:
    """A task's page data, or None when it does not exist or is not published."""
    task = await session.scalar(
        select(Task)
        .where(Task.slug == slug)
        .options(selectinload(Task.tags), selectinload(Task.tests))
    )
    if task is None or not (task.published or include_unpublished):
        return None
    visible: list[TestCase] = [t for t in task.tests if not t.hidden]
    counts = await _solve_counts(session, [task.id])
    solved = await _solved_by(session, user_id, [task.id])
    return TaskDetail(
        slug=task.slug,
        title=task.title,
        difficulty=task.difficulty,
        points=task.points,
        tags=tuple(task.tag_names),
        statement=task.statement,
        template=task.template,
        time_limit_s=task.time_limit_s,
        memory_mb=task.memory_mb,
        compare_mode=task.compare_mode,
        compare_tolerance=task.compare_tolerance,
        examples=tuple(Example(t.input, t.output) for t in visible),
        hidden_tests=len(task.tests) - len(visible),
        solve_count=counts.get(task.id, 0),
        solved=(task.id in solved) if user_id is not None else None,
        published=task.published,
    )


async def autocomplete(session: AsyncSession, text: str, limit: int = 25) -> list[tuple[str, str]]:
    """(slug, title) of published tasks whose title or slug contains `text`, for pickers."""
    query = _filtered(None, None, text, None, None, False)
    rows = await session.execute(
        select(Task.slug, Task.title)
        .where(Task.id.in_(query.with_only_columns(Task.id)))
        .order_by(Task.title)
        .limit(limit)
    )
    return [(slug, title) for slug, title in rows]


async def submission_candidates(
    session: AsyncSession, user_id: int, first: str | None = None, limit: int = 25
) -> list[TaskSummary]:
    """The published tasks a learner's code is most likely for, best first, for a picker.

    `first` (today's challenge) when given, then the tasks the learner has not solved, then
    those solved; each task once.
    """
    candidates: list[TaskSummary] = []
    if first is not None:
        listed, _ = await list_tasks(session, text=first, limit=limit)
        candidates += [t for t in listed if t.slug == first]
    for status in (SolvedFilter.UNSOLVED, SolvedFilter.SOLVED):
        listed, _ = await list_tasks(session, status=status, user_id=user_id, limit=limit)
        candidates += listed
    unique: dict[str, TaskSummary] = {}
    for task in candidates:
        unique.setdefault(task.slug, task)
    return list(unique.values())[:limit]
