"""The task catalogue: a filtered list and one page per task."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse

from api.deps import Db, PageDep
from api.markdown import render_statement
from core.catalog import all_tags, list_tasks, task_detail
from core.content.schema import Difficulty

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25


@router.get("/tasks", response_class=HTMLResponse)
async def tasks(
    page: PageDep,
    db: Db,
    difficulty: str = "",
    tag: str = "",
    q: str = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """Published tasks, filtered by difficulty, tag and text in the title."""
    chosen = _difficulty(difficulty)
    user_id = page.user.id if page.user else None
    found, total = await list_tasks(
        db,
        difficulty=chosen,
        tag=tag or None,
        text=q[:100] or None,
        user_id=user_id,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
    )
    filters = {"difficulty": chosen or "", "tag": tag, "q": q}

    def page_link(number: int) -> str:
        return "/tasks?" + urlencode(
            {**{k: v for k, v in filters.items() if v}, "page_number": number}
        )

    last_page = max(1, -(-total // PAGE_SIZE))
    return page.render(
        "tasks.html",
        tasks=found,
        total=total,
        tags=await all_tags(db),
        difficulties=list(Difficulty),
        filters=filters,
        page_number=page_number,
        previous_link=page_link(page_number - 1) if page_number > 1 else None,
        next_link=page_link(page_number + 1) if page_number < last_page else None,
    )


def _difficulty(text: str) -> Difficulty | None:
    """The difficulty a filter names; None (no filter) for anything else."""
    try:
        return Difficulty(text)
    except ValueError:
        return None


@router.get("/tasks/{slug}", response_class=HTMLResponse)
async def task(page: PageDep, db: Db, slug: str) -> HTMLResponse:
    """A task's statement (Markdown, sanitized), visible examples and solve count."""
    detail = await task_detail(db, slug, page.user.id if page.user else None)
    if detail is None:
        raise HTTPException(404, "There is no published task at this address.")
    return page.render("task.html", task=detail, statement=render_statement(detail.statement))
