"""Learner profiles at /u/<name>: totals, progress through the catalogue by difficulty and tag,
achievements (locked ones with progress), two charts, and the full solved list and submission
history page by page (`/u/<name>/solved`, `/u/<name>/history`).

A profile is public only once its learner opted in; until then it answers its owner alone
(with a banner saying so) and everyone else gets the same 404 as for a name nobody has. Code
and where a wrong answer differed are shown to their owner only.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from api.charts import activity_heatmap, points_line_chart
from api.deps import Db, PageDep
from api.pages import Page, profile_path
from api.params import LearnerName, PageNumber
from core.profile_progress import progress_of
from core.profiles import ProfileView, solved_page, submissions_page, view_profile
from core.streaks import STREAK_RULE

router = APIRouter(include_in_schema=False)

NO_LEARNER = "There is no learner with that name."
#: solved tasks and submissions the profile page itself lists (the rest are a click away)
LATEST = 10
SOLVED_PAGE = 25
HISTORY_PAGE = 20


async def found_profile(db: AsyncSession, name: str, viewer_id: int | None) -> ProfileView:
    """The profile of the learner called `name` as `viewer_id` sees it; a 404 for nobody and for
    a private profile of someone else."""
    view = await view_profile(db, name, viewer_id)
    if view is None:
        raise HTTPException(404, NO_LEARNER)
    return view


def _viewer(page: Page) -> int | None:
    return page.user.id if page.user else None


@router.get("/u/{name}", response_class=HTMLResponse)
async def profile(page: PageDep, db: Db, name: LearnerName) -> HTMLResponse:
    """A learner's profile; their code is shown to them only."""
    view = await found_profile(db, name, _viewer(page))
    points = view.points_until_today()
    return page.render(
        "profile.html",
        profile=view.profile,
        own=view.own,
        address=profile_path(view.profile.display_name),
        progress=await progress_of(db, view.profile.user_id),
        latest_solved=view.profile.solved[::-1][:LATEST],
        streak_rule=STREAK_RULE,
        points_chart=points_line_chart(points),
        points_chart_narrow=points_line_chart(points, width=340, height=220),
        activity_chart=activity_heatmap(view.profile.activity, today=view.today),
    )


@dataclass(frozen=True, slots=True)
class Pages:
    """The Previous and Next links around one page of a list (None at either end)."""

    previous: str | None
    next: str | None


def _pages(address: str, number: int, size: int, total: int) -> Pages:
    """The links around page `number` (of `size` items) of the list of `total` at `address`."""
    return Pages(
        f"{address}?page={number - 1}" if number > 1 else None,
        f"{address}?page={number + 1}" if number * size < total else None,
    )


@router.get("/u/{name}/solved", response_class=HTMLResponse)
async def solved(
    page: PageDep, db: Db, name: LearnerName, page_number: PageNumber = 1
) -> HTMLResponse:
    """Every task the learner solved, latest first, page by page."""
    view = await found_profile(db, name, _viewer(page))
    found = await solved_page(
        db, view.profile.user_id, limit=SOLVED_PAGE, offset=(page_number - 1) * SOLVED_PAGE
    )
    address = profile_path(view.profile.display_name)
    return page.render(
        "profile_solved.html",
        profile=view.profile,
        own=view.own,
        address=address,
        solved=found.items,
        total=found.total,
        page_number=page_number,
        pages=_pages(f"{address}/solved", page_number, SOLVED_PAGE, found.total),
    )


@router.get("/u/{name}/history", response_class=HTMLResponse)
async def history(
    page: PageDep, db: Db, name: LearnerName, page_number: PageNumber = 1
) -> HTMLResponse:
    """Every submission of the learner, newest first, page by page; code for its owner only."""
    view = await found_profile(db, name, _viewer(page))
    found = await submissions_page(
        db,
        view.profile.user_id,
        include_code=view.own,
        limit=HISTORY_PAGE,
        offset=(page_number - 1) * HISTORY_PAGE,
    )
    address = profile_path(view.profile.display_name)
    return page.render(
        "profile_history.html",
        profile=view.profile,
        own=view.own,
        address=address,
        submissions=found.items,
        total=found.total,
        page_number=page_number,
        pages=_pages(f"{address}/history", page_number, HISTORY_PAGE, found.total),
    )
