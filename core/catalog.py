"""The task catalogue as learners browse it: filtered lists, details and autocomplete.

What one sees is an audience: the owners whose tasks are in view, the shared catalogue plus the
server one is in (`audience_of`). A slug names one task per owner, so within an audience a slug
resolves to the shared catalogue's task first: a server task never shadows a global one. When a
curator later gives a global task a slug a server already uses, learners reach the global task
by that slug and the server's task leaves their lists; its moderators still find it among their
own tasks (`owned_task_choices`, the designer) and can rename it. A global task that learners
cannot see (a draft, an unpublished one) shadows nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from core.content.schema import Difficulty
from core.models import GLOBAL_CATALOGUE, Solve, Task, TaskTag, TestCase
from sandbox import CompareMode
from sandbox.calls import readable_text

DIFFICULTY_ORDER = case(
    {difficulty: rank for rank, difficulty in enumerate(Difficulty)},
    value=Task.difficulty,
    else_=len(Difficulty),
)


#: the owners whose tasks one sees: GLOBAL_CATALOGUE and/or servers' ids
Audience = frozenset[int]
#: the shared catalogue alone: what one sees outside any server
GLOBAL_ONLY: Audience = frozenset({GLOBAL_CATALOGUE})


def audience_of(guild_id: int | None) -> Audience:
    """What a learner sees in a server (the shared catalogue and that server's own tasks), or
    outside any server (the shared catalogue alone)."""
    return GLOBAL_ONLY if guild_id is None else GLOBAL_ONLY | {guild_id}


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
    owner_guild_id: int


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
    owner_guild_id: int
    #: how many hints learners may reveal (see `core.hints`)
    hint_count: int = 0


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _in_view(audience: Audience, include_unpublished: bool) -> ColumnElement[bool]:
    """Tasks of the audience's owners (published ones unless `include_unpublished`), without a
    server's task whose slug a global task in view already takes."""
    shown: list[ColumnElement[bool]] = [Task.owner_guild_id.in_(audience)]
    if not include_unpublished:
        shown.append(Task.published.is_(True))
    if GLOBAL_CATALOGUE in audience and len(audience) > 1:
        shared = aliased(Task)
        shadowing = [shared.owner_guild_id == GLOBAL_CATALOGUE, shared.slug == Task.slug]
        if not include_unpublished:
            shadowing.append(shared.published.is_(True))
        shown.append(or_(Task.owner_guild_id == GLOBAL_CATALOGUE, ~exists().where(*shadowing)))
    return and_(*shown)


def visible_tasks(audience: Audience = GLOBAL_ONLY) -> Select[Task]:
    """The published tasks learners of `audience` see and reach by slug (for daily choices)."""
    return select(Task).where(_in_view(audience, include_unpublished=False))


def _filtered(
    difficulty: Difficulty | None,
    tag: str | None,
    text: str | None,
    status: SolvedFilter | None,
    user_id: int | None,
    include_unpublished: bool,
    audience: Audience,
) -> Select[Task]:
    query = select(Task).where(_in_view(audience, include_unpublished))
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
    audience: Audience = GLOBAL_ONLY,
) -> tuple[list[TaskSummary], int]:
    """One page of the audience's tasks matching the filters (easy first, then by title) and the
    total count; `include_unpublished` also lists drafts of every owner in `audience`."""
    query = _filtered(difficulty, tag, text, status, user_id, include_unpublished, audience)
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
            t.owner_guild_id,
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


async def all_tags(session: AsyncSession, audience: Audience = GLOBAL_ONLY) -> list[str]:
    """Every tag used by a published task of the audience, for filter menus."""
    return list(
        await session.scalars(
            select(TaskTag.tag)
            .join(Task, Task.id == TaskTag.task_id)
            .where(_in_view(audience, include_unpublished=False))
            .distinct()
            .order_by(TaskTag.tag)
        )
    )


async def is_visible(session: AsyncSession, task_id: int, audience: Audience) -> bool:
    """Whether the task is published and in view of the audience now: buttons shown earlier
    (such as a hint's Reveal) check it again when pressed."""
    found = await session.scalar(
        select(Task.id).where(Task.id == task_id, _in_view(audience, include_unpublished=False))
    )
    return found is not None


async def find_visible_task(
    session: AsyncSession,
    slug: str,
    audience: Audience = GLOBAL_ONLY,
    include_unpublished: bool = False,
    *,
    details: bool = True,
) -> Task | None:
    """The task a slug names for the audience, the shared catalogue's first; None when no
    published task (or, with `include_unpublished`, no task) of the audience has that slug.
    Its tags and tests come loaded; with `details=False` neither is read (two queries fewer,
    for answers that must be quick, such as a code box)."""
    query = (
        select(Task)
        .where(Task.slug == slug, _in_view(audience, include_unpublished))
        .order_by(Task.owner_guild_id)  # GLOBAL_CATALOGUE (0) before any server
        .limit(1)
    )
    if details:
        query = query.options(selectinload(Task.tags), selectinload(Task.tests))
    return await session.scalar(query)


async def task_detail(
    session: AsyncSession,
    slug: str,
    user_id: int | None = None,
    include_unpublished: bool = False,
    audience: Audience = GLOBAL_ONLY,
) -> TaskDetail | None:
    """A task's page data, or None when the audience has no published task with that slug.

    `include_unpublished` shows drafts of every owner in `audience`: give only the catalogues
    the viewer curates then.
    """
    task = await find_visible_task(session, slug, audience, include_unpublished)
    return None if task is None else await _detail(session, task, user_id)


async def task_detail_by_id(
    session: AsyncSession, task_id: int, user_id: int | None = None
) -> TaskDetail | None:
    """A task's page data whatever its owner and state, for records that name a task by id
    (a daily post); None when it no longer exists."""
    task = await session.scalar(
        select(Task)
        .where(Task.id == task_id)
        .options(selectinload(Task.tags), selectinload(Task.tests))
    )
    return None if task is None else await _detail(session, task, user_id)


def _example(mode: CompareMode, test: TestCase) -> Example:
    """A visible test as shown with the statement (a call test's calls as Python)."""
    if mode is CompareMode.CALL:
        return Example(*readable_text(test.input, test.output))
    return Example(test.input, test.output)


async def _detail(session: AsyncSession, task: Task, user_id: int | None) -> TaskDetail:
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
        examples=tuple(_example(task.compare_mode, t) for t in visible),
        hidden_tests=len(task.tests) - len(visible),
        solve_count=counts.get(task.id, 0),
        solved=(task.id in solved) if user_id is not None else None,
        published=task.published,
        owner_guild_id=task.owner_guild_id,
        hint_count=len(task.hints),
    )


async def autocomplete(
    session: AsyncSession, text: str, limit: int = 25, audience: Audience = GLOBAL_ONLY
) -> list[tuple[str, str]]:
    """(slug, title) of the audience's published tasks whose title or slug contains `text`,
    for pickers."""
    query = _filtered(None, None, text, None, None, False, audience)
    rows = await session.execute(
        select(Task.slug, Task.title)
        .where(Task.id.in_(query.with_only_columns(Task.id)))
        .order_by(Task.title)
        .limit(limit)
    )
    return [(slug, title) for slug, title in rows]


async def owned_task_choices(
    session: AsyncSession, owner: int, text: str, limit: int = 25
) -> list[tuple[str, str, bool]]:
    """(slug, title, published) of one owner's tasks whose title or slug contains `text`,
    drafts included, for the pickers of those who curate that owner's tasks."""
    query = _filtered(None, None, text, None, None, True, frozenset({owner}))
    rows = await session.execute(
        select(Task.slug, Task.title, Task.published)
        .where(Task.id.in_(query.with_only_columns(Task.id)))
        .order_by(Task.title, Task.slug)
        .limit(limit)
    )
    return [(slug, title, published) for slug, title, published in rows]


async def submission_candidates(
    session: AsyncSession,
    user_id: int,
    first: str | None = None,
    limit: int = 25,
    audience: Audience = GLOBAL_ONLY,
) -> list[TaskSummary]:
    """The audience's published tasks a learner's code is most likely for, best first, for a
    picker.

    `first` (today's challenge) when given, then the tasks the learner has not solved, then
    those solved; each task once.
    """
    candidates: list[TaskSummary] = []
    if first is not None:
        listed, _ = await list_tasks(session, text=first, limit=limit, audience=audience)
        candidates += [t for t in listed if t.slug == first]
    for status in (SolvedFilter.UNSOLVED, SolvedFilter.SOLVED):
        listed, _ = await list_tasks(
            session, status=status, user_id=user_id, limit=limit, audience=audience
        )
        candidates += listed
    unique: dict[str, TaskSummary] = {}
    for task in candidates:
        unique.setdefault(task.slug, task)
    return list(unique.values())[:limit]
