"""Linking a Discord account through the link the bot's `/link` command gives."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import CSRF, Db, PageDep
from api.login_session import (
    flash,
    forget_link_token,
    log_in,
    pending_link_token,
    remember_link_token,
)
from api.tokens import token_refusal
from core.accounts.discord_link import LinkRefused, link_discord, link_identity
from core.accounts.tokens import Purpose, TokenRefused

router = APIRouter(include_in_schema=False)


@router.get("/link", response_class=HTMLResponse)
async def link_form(page: PageDep, db: Db, token: str = "") -> HTMLResponse:
    """Show which Discord account the link names and ask to confirm (or to log in first)."""
    token = token or pending_link_token(page.request) or ""
    try:
        identity = await link_identity(db, page.site.secret_key, token)
    except TokenRefused as refused:
        forget_link_token(page.request)
        raise token_refusal(page, Purpose.DISCORD_LINK, refused.problem) from refused
    if page.user is None:
        remember_link_token(page.request, token)
    return page.render("link.html", token=token, identity=identity)


@router.post("/link", dependencies=[CSRF])
async def link(page: PageDep, db: Db, token: Annotated[str, Form()] = "") -> Response:
    """Attach the Discord account to the logged-in account (merging its Discord history)."""
    if page.user is None:
        remember_link_token(page.request, token)
        return RedirectResponse("/login?next=/link", status_code=303)
    forget_link_token(page.request)
    try:
        user = await link_discord(db, page.site.secret_key, token, page.user)
    except TokenRefused as refused:
        raise token_refusal(page, Purpose.DISCORD_LINK, refused.problem) from refused
    except LinkRefused as refused:
        raise page.refuse("error.html", 409, title="Cannot link", message=str(refused)) from refused
    log_in(page.request, user)
    flash(page.request, f"Your Discord account {user.discord_name} is now linked.")
    return RedirectResponse("/account", status_code=303)
