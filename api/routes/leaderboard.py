"""The leaderboards: all-time points, this week's points and current streaks, page by page.

`/leaderboard` ranks everyone by the shared catalogue; a server's boards (api.routes.servers)
render through `render_board` with that server, and also count its own tasks' points.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import Db, PageDep
from api.pages import Page
from api.params import PageNumber
from core.leaderboards import Period, rank_of, top
from core.servers import Server, servers_of

router = APIRouter(include_in_schema=False)

SIZE = 50


def board_link(base: str, period: Period, page_number: int = 1) -> str:
    """The address of one page of one board."""
    query: dict[str, Any] = {"period": period.value}
    if page_number > 1:
        query["page"] = page_number
    return f"{base}?{urlencode(query)}"


async def render_board(
    page: Page,
    db: AsyncSession,
    period: Period,
    page_number: int,
    server: Server | None = None,
    **context: Any,
) -> HTMLResponse:
    """One page of a board (the global one, or `server`'s), with the visitor's own place
    when it is not on that page."""
    guild_id = server.guild_id if server else None
    base = f"/s/{guild_id}/leaderboard" if server else "/leaderboard"
    offset = (page_number - 1) * SIZE
    entries = await top(db, period, guild_id=guild_id, limit=SIZE + 1, offset=offset)
    more, entries = len(entries) > SIZE, entries[:SIZE]
    mine = None
    if page.user is not None and all(e.user_id != page.user.id for e in entries):
        mine = await rank_of(db, page.user.id, period, guild_id=guild_id)
    return page.render(
        "leaderboard.html",
        server=server,
        period=period,
        periods=[(choice, board_link(base, choice)) for choice in Period],
        entries=entries,
        mine=mine,
        unit="days" if period is Period.STREAK else "points",
        previous_link=board_link(base, period, page_number - 1) if page_number > 1 else None,
        next_link=board_link(base, period, page_number + 1) if more else None,
        **context,
    )


@router.get("/leaderboard", response_class=HTMLResponse)
async def leaderboard(
    page: PageDep, db: Db, period: Period = Period.ALL, page_number: PageNumber = 1
) -> HTMLResponse:
    """The global boards, with links to the boards of the visitor's own servers."""
    servers = await servers_of(db, page.user) if page.user else []
    return await render_board(page, db, period, page_number, my_servers=servers)
