"""A server's pages: its leaderboards (public) and its tasks (for its members only).

A server's own tasks are visible only in that server, so `/s/<server>/tasks` answers its
members (logged in, with a linked Discord account the bot saw there) and gives everyone else
the same 404 as for a server that does not exist: nothing tells what the server's tasks are.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import Db, PageDep
from api.pages import Page
from api.params import GuildId, PageNumber, TaskSlug
from api.routes.leaderboard import render_board
from api.routes.tasks import Shelf, TaskQueryDep, render_task_list, render_task_page
from core.catalog import audience_of
from core.leaderboards import Period
from core.servers import known_server, member_server

router = APIRouter(include_in_schema=False)

NO_SERVER = "There is no server page at this address."
MEMBERS_ONLY = (
    "There is no server page at this address for you. A server's tasks are shown to its "
    "members, logged in with the Discord account they linked on the site."
)


@router.get("/s/{guild_id}/leaderboard", response_class=HTMLResponse)
async def server_leaderboard(
    page: PageDep,
    db: Db,
    guild_id: GuildId,
    period: Period = Period.ALL,
    page_number: PageNumber = 1,
) -> HTMLResponse:
    """A server's boards: its members ranked by global points plus its own tasks' points."""
    server = await known_server(db, guild_id)
    if server is None:
        raise HTTPException(404, NO_SERVER)
    member = await member_server(db, page.user, guild_id) is not None
    return await render_board(page, db, period, page_number, server, member=member)


async def member_shelf(page: Page, db: AsyncSession, guild_id: int) -> Shelf:
    """The tasks a member sees in this server; a 404 for anyone who is not a member."""
    server = await member_server(db, page.user, guild_id)
    if server is None:
        raise HTTPException(404, MEMBERS_ONLY)
    return Shelf(audience_of(guild_id), f"/s/{guild_id}/tasks", server)


@router.get("/s/{guild_id}/tasks", response_class=HTMLResponse)
async def server_tasks(
    page: PageDep, db: Db, guild_id: GuildId, query: TaskQueryDep
) -> HTMLResponse:
    """The shared catalogue and the server's own published tasks, filtered like `/tasks`."""
    return await render_task_list(page, db, await member_shelf(page, db, guild_id), query)


@router.get("/s/{guild_id}/tasks/{slug}", response_class=HTMLResponse)
async def server_task(page: PageDep, db: Db, guild_id: GuildId, slug: TaskSlug) -> HTMLResponse:
    """A task as the server's members see it: the shared catalogue's first, then the server's."""
    return await render_task_page(page, db, await member_shelf(page, db, guild_id), slug)
