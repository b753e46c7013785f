"""Learners' shared solutions of a task: their pages, votes, moderation and Stop sharing.

The pages live below the task's own address, `/tasks/<slug>/solutions` for the shared
catalogue and `/s/<server>/tasks/<slug>/solutions` for a server's members (anyone else gets the
server pages' 404). They show nothing before the visitor solved the task, unless they curate
its catalogue (see `core.solutions`). Every form posts with CSRF and comes back to the page it
was on.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import CSRF, AccountPage, Db, LoginRequired, PageDep
from api.forms import safe_next
from api.login_session import flash
from api.params import MAX_ID, PageNumber, TaskSlug
from api.routes.servers import member_shelf
from api.routes.tasks import GLOBAL_SHELF, Shelf
from api.solutions import shown_task, solutions_section, viewer_on
from core.models import Task, VoteKind, utcnow
from core.solutions import (
    LOCKED,
    SolutionMissing,
    SolutionRefused,
    hide,
    stop_sharing,
    unhide,
    vote,
)

router = APIRouter(include_in_schema=False)
#: the pages of one task's solutions, mounted below each task list's address (at the end)
task_router = APIRouter(include_in_schema=False)

NO_SOLUTION = "There is no shared solution of this task at this address."
NO_SERVER = "There is no server page at this address."

SubmissionId = Annotated[int, Path(ge=1, le=MAX_ID, description="A shared solution's id.")]
Back = Annotated[str, Form(max_length=300)]


async def get_shelf(request: Request, page: PageDep, db: Db) -> Shelf:
    """The task list of the address: the shared catalogue's, or under `/s/<server>` that
    server's for its members (404 for anyone else, as its task pages answer)."""
    raw = request.path_params.get("guild_id")
    if raw is None:
        return GLOBAL_SHELF
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ID)):
        raise HTTPException(404, NO_SERVER)
    return await member_shelf(page, db, int(raw))


ShelfDep = Annotated[Shelf, Depends(get_shelf)]


async def _task(db: AsyncSession, shelf: Shelf, slug: str) -> tuple[Task, str]:
    """The shelf's published task `slug` and its page's address."""
    return await shown_task(db, shelf.audience, slug), f"{shelf.base}/{slug}"


@task_router.get("/tasks/{slug}/solutions", response_class=HTMLResponse)
async def solutions_page(
    request: Request,
    page: PageDep,
    db: Db,
    shelf: ShelfDep,
    slug: TaskSlug,
    page_number: PageNumber = 1,
    hidden: Annotated[bool, Query(description="The solutions moderators hid.")] = False,
) -> HTMLResponse:
    """A page of the task's shared solutions (with `hidden`, those moderators hid), for those
    who solved the task or curate it; visitors log in first."""
    task, task_path = await _task(db, shelf, slug)
    if page.user is None:
        raise LoginRequired(request.url.path)
    try:
        section = await solutions_section(
            page, db, task, task_path, page_number, hidden=hidden, on_task_page=False
        )
    except SolutionRefused as refused:
        raise HTTPException(403, str(refused)) from refused
    if section.listing is None:
        raise HTTPException(403, LOCKED)
    return page.render("solutions.html", shelf=shelf, task=task, solutions=section)


@task_router.post("/tasks/{slug}/solutions/{submission_id}/vote", dependencies=[CSRF])
async def cast_vote(
    page: AccountPage,
    db: Db,
    shelf: ShelfDep,
    slug: TaskSlug,
    submission_id: SubmissionId,
    kind: Annotated[VoteKind, Form()],
    voted: Annotated[bool, Form()] = True,
    back: Back = "",
) -> RedirectResponse:
    """Vote `kind` for a learner's solution (or withdraw it with `voted=false`); back to the
    page, at the solution."""
    task, task_path = await _task(db, shelf, slug)
    viewer = await viewer_on(page, db, task)
    try:
        await vote(db, viewer, task, submission_id, kind, voted)
    except SolutionRefused as refused:
        raise HTTPException(403, str(refused)) from refused
    except SolutionMissing as missing:
        raise HTTPException(404, NO_SOLUTION) from missing
    return RedirectResponse(f"{safe_next(back, task_path)}#solution-{submission_id}", 303)


async def _moderate(
    page: AccountPage,
    db: AsyncSession,
    shelf: Shelf,
    slug: str,
    submission_id: int,
    back: str,
    hidden: bool,
) -> RedirectResponse:
    """Hide a solution from learners, or show it again; back to the page with a notice."""
    task, task_path = await _task(db, shelf, slug)
    viewer = await viewer_on(page, db, task)
    try:
        if hidden:
            await hide(db, viewer, task, submission_id, utcnow())
        else:
            await unhide(db, viewer, task, submission_id)
    except SolutionRefused as refused:
        raise HTTPException(403, str(refused)) from refused
    except SolutionMissing as missing:
        raise HTTPException(404, NO_SOLUTION) from missing
    flash(
        page.request,
        "The solution is hidden from learners."
        if hidden
        else "The solution is shown to learners again.",
    )
    return RedirectResponse(f"{safe_next(back, task_path)}#solutions", 303)


@task_router.post("/tasks/{slug}/solutions/{submission_id}/hide", dependencies=[CSRF])
async def hide_solution(
    page: AccountPage,
    db: Db,
    shelf: ShelfDep,
    slug: TaskSlug,
    submission_id: SubmissionId,
    back: Back = "",
) -> RedirectResponse:
    """Hide a shared solution from learners (for those who curate the task)."""
    return await _moderate(page, db, shelf, slug, submission_id, back, hidden=True)


@task_router.post("/tasks/{slug}/solutions/{submission_id}/unhide", dependencies=[CSRF])
async def unhide_solution(
    page: AccountPage,
    db: Db,
    shelf: ShelfDep,
    slug: TaskSlug,
    submission_id: SubmissionId,
    back: Back = "",
) -> RedirectResponse:
    """Show a hidden solution to learners again (for those who curate the task)."""
    return await _moderate(page, db, shelf, slug, submission_id, back, hidden=False)


@task_router.post("/tasks/{slug}/solutions/stop-sharing", dependencies=[CSRF])
async def stop_sharing_solutions(
    page: AccountPage, db: Db, shelf: ShelfDep, slug: TaskSlug, back: Back = ""
) -> RedirectResponse:
    """Withdraw the visitor's shared solutions of the task from other learners' view."""
    task, task_path = await _task(db, shelf, slug)
    withdrawn = await stop_sharing(db, page.user.id, task.id)
    flash(
        page.request,
        "Your solution of this task is no longer shared."
        if withdrawn
        else "You share no solution of this task.",
    )
    return RedirectResponse(f"{safe_next(back, task_path)}#solutions", 303)


for prefix in ("", "/s/{guild_id}"):
    router.include_router(task_router, prefix=prefix)
