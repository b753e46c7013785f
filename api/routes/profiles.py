"""Learner profiles at /u/<name>: totals, streaks, solved tasks, achievements and two charts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from api.charts import activity_heatmap, points_line_chart
from api.deps import Db, PageDep
from core.content.schema import Difficulty
from core.profiles import ProfileView, view_profile
from core.streaks import STREAK_RULE

router = APIRouter(include_in_schema=False)


async def found_profile(db: AsyncSession, name: str, viewer_id: int | None) -> ProfileView:
    """The profile of the learner called `name` as `viewer_id` sees it; a 404 for nobody."""
    view = await view_profile(db, name, viewer_id)
    if view is None:
        raise HTTPException(404, "There is no learner with that name.")
    return view


@router.get("/u/{name:path}", response_class=HTMLResponse)
async def profile(
    page: PageDep, db: Db, name: Annotated[str, Path(min_length=1, max_length=64)]
) -> HTMLResponse:
    """A learner's public profile; recent code is shown to its owner only."""
    view = await found_profile(db, name, page.user.id if page.user else None)
    points = view.points_until_today()
    return page.render(
        "profile.html",
        profile=view.profile,
        own=view.own,
        streak_rule=STREAK_RULE,
        difficulties=list(Difficulty),
        points_chart=points_line_chart(points),
        points_chart_narrow=points_line_chart(points, width=340, height=220),
        activity_chart=activity_heatmap(view.profile.activity, today=view.today),
    )
