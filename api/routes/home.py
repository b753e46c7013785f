"""The front page."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import PageDep

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def home(page: PageDep) -> HTMLResponse:
    """What codestreak is and where to go next."""
    return page.render("home.html")
