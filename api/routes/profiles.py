"""Learner profiles at /u/<name>: totals, streaks, solved tasks, achievements and two charts."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from api.charts import activity_heatmap, points_line_chart
from api.deps import Db, PageDep
from core.learners import learner_timezone
from core.models import User, utcnow
from core.profiles import Profile, find_learner_by_name, load_profile
from core.streaks import local_day

router = APIRouter(include_in_schema=False)

DIFFICULTIES = ("easy", "medium", "hard")


async def learner_profile(db: AsyncSession, name: str, viewer: User | None) -> tuple[Profile, date]:
    """The profile of the learner called `name` (code included for its owner) and their today.

    Raises a 404 when nobody has that name.
    """
    learner = await find_learner_by_name(db, name)
    if learner is None:
        raise HTTPException(404, "There is no learner with that name.")
    owner = viewer is not None and viewer.id == learner.id
    profile = await load_profile(db, learner.id, include_code=owner)
    if profile is None:
        raise HTTPException(404, "There is no learner with that name.")
    today = local_day(utcnow(), await learner_timezone(db, learner.id))
    return profile, today


def points_until(series: tuple[tuple[date, int], ...], today: date) -> list[tuple[date, int]]:
    """The points series carried flat up to today, so the line ends at the present."""
    points = list(series)
    if points and points[-1][0] < today:
        points.append((today, points[-1][1]))
    return points


@router.get("/u/{name:path}", response_class=HTMLResponse)
async def profile(page: PageDep, db: Db, name: str) -> HTMLResponse:
    """A learner's public profile; recent code is shown to its owner only."""
    learner, today = await learner_profile(db, name, page.user)
    points = points_until(learner.points_over_time, today)
    return page.render(
        "profile.html",
        profile=learner,
        own=page.user is not None and page.user.id == learner.user_id,
        difficulties=DIFFICULTIES,
        points_chart=points_line_chart(points),
        points_chart_narrow=points_line_chart(points, width=340, height=220),
        activity_chart=activity_heatmap(learner.activity, today=today),
    )
