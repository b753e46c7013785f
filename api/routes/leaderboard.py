"""The leaderboards: all-time points, this week's points and current streaks."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import Db, PageDep
from core.leaderboards import Period, rank_of, top

router = APIRouter(include_in_schema=False)

SIZE = 50


@router.get("/leaderboard", response_class=HTMLResponse)
async def leaderboard(page: PageDep, db: Db, period: Period = Period.ALL) -> HTMLResponse:
    """The top learners for a period, and the visitor's own place when it is further down."""
    entries = await top(db, period, limit=SIZE)
    mine = None
    if page.user is not None and all(e.user_id != page.user.id for e in entries):
        mine = await rank_of(db, page.user.id, period)
    return page.render(
        "leaderboard.html",
        period=period,
        periods=list(Period),
        entries=entries,
        mine=mine,
        unit="days" if period is Period.STREAK else "points",
    )
