"""The task catalogue: a filtered list and one page per task.

`/tasks` shows the shared catalogue; a server's members see the same pages, with that server's
own tasks too, under `/s/<server>/tasks` (api.routes.servers), through `render_task_list` and
`render_task_page` with that server's `Shelf`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import Db, PageDep
from api.markdown import render_statement
from api.pages import Page
from api.params import SEARCH_MAX, TAG_OR_NONE_PATTERN, TEXT_PATTERN, PageNumber, TaskSlug
from api.solutions import shown_task, solutions_section
from api.solving import Attempt, code_form
from core.catalog import GLOBAL_ONLY, Audience, all_tags, list_tasks, task_detail
from core.content.schema import Difficulty
from core.servers import Server

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25


@dataclass(frozen=True, slots=True)
class Shelf:
    """Which tasks a listing shows (`audience`), where its pages live (`base`) and, for a
    server's listing, that server."""

    audience: Audience
    base: str
    server: Server | None = None


#: the shared catalogue, as everyone sees it
GLOBAL_SHELF = Shelf(GLOBAL_ONLY, "/tasks")


@dataclass(frozen=True, slots=True)
class TaskQuery:
    """The filters and page number of a task list."""

    difficulty: Difficulty | None
    tag: str
    text: str
    page_number: int

    def link(self, base: str, page_number: int) -> str:
        """The address of another page of the same filtered list."""
        filters = {"difficulty": self.difficulty or "", "tag": self.tag, "q": self.text}
        shown = {name: value for name, value in filters.items() if value}
        return f"{base}?" + urlencode({**shown, "page": page_number})


def task_query(
    page_number: PageNumber = 1,
    difficulty: Annotated[str, Query(max_length=16)] = "",
    tag: Annotated[str, Query(max_length=32, pattern=TAG_OR_NONE_PATTERN)] = "",
    q: Annotated[str, Query(max_length=SEARCH_MAX, pattern=TEXT_PATTERN)] = "",
) -> TaskQuery:
    """The list's query string (the filter form sends empty fields for no filter); an unknown
    difficulty means no filter."""
    return TaskQuery(_difficulty(difficulty), tag, q, page_number)


TaskQueryDep = Annotated[TaskQuery, Depends(task_query)]


def _difficulty(text: str) -> Difficulty | None:
    """The difficulty a filter names; None (no filter) for anything else."""
    try:
        return Difficulty(text)
    except ValueError:
        return None


async def render_task_list(
    page: Page, db: AsyncSession, shelf: Shelf, query: TaskQuery
) -> HTMLResponse:
    """One page of the published tasks of `shelf`, filtered by difficulty, tag and text."""
    found, total = await list_tasks(
        db,
        difficulty=query.difficulty,
        tag=query.tag or None,
        text=query.text or None,
        user_id=page.user.id if page.user else None,
        limit=PAGE_SIZE,
        offset=(query.page_number - 1) * PAGE_SIZE,
        audience=shelf.audience,
    )
    last_page = max(1, -(-total // PAGE_SIZE))
    number = query.page_number
    return page.render(
        "tasks.html",
        shelf=shelf,
        tasks=found,
        total=total,
        tags=await all_tags(db, audience=shelf.audience),
        difficulties=list(Difficulty),
        filters={"difficulty": query.difficulty or "", "tag": query.tag, "q": query.text},
        page_number=number,
        previous_link=query.link(shelf.base, number - 1) if number > 1 else None,
        next_link=query.link(shelf.base, number + 1) if number < last_page else None,
    )


async def render_task_page(
    page: Page,
    db: AsyncSession,
    shelf: Shelf,
    slug: str,
    attempt: Attempt | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """A task of `shelf`: its statement (Markdown, sanitized), visible examples, solve count,
    and the code form (a sign-in prompt for visitors); after a submission, its `attempt`."""
    user_id = page.user.id if page.user else None
    detail = await task_detail(db, slug, user_id, audience=shelf.audience)
    if detail is None:
        raise HTTPException(404, "There is no published task at this address.")
    return page.render(
        "task.html",
        status_code,
        shelf=shelf,
        task=detail,
        statement=render_statement(detail.statement),
        form=await code_form(db, page.user, shelf.audience, shelf.base, detail.slug, attempt),
        attempt=attempt,
        solutions=await solutions_section(
            page, db, await shown_task(db, shelf.audience, slug), f"{shelf.base}/{detail.slug}"
        ),
    )


@router.get("/tasks", response_class=HTMLResponse)
async def tasks(page: PageDep, db: Db, query: TaskQueryDep) -> HTMLResponse:
    """Published tasks of the shared catalogue, filtered by difficulty, tag and title."""
    return await render_task_list(page, db, GLOBAL_SHELF, query)


@router.get("/tasks/{slug}", response_class=HTMLResponse)
async def task(page: PageDep, db: Db, slug: TaskSlug) -> HTMLResponse:
    """A task of the shared catalogue."""
    return await render_task_page(page, db, GLOBAL_SHELF, slug)
