"""Logging in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import rate_limits
from api.deps import CSRF, Db, OptionalUser, PageDep
from api.forms import safe_next
from api.login_session import log_in, log_out, pending_link_token
from api.pages import profile_path
from core.accounts.credentials import authenticate

router = APIRouter(include_in_schema=False)


def after_login_path(request: Request, requested: str | None, default: str) -> str:
    """Where a visitor goes once logged in: a waiting Discord link first, then `requested`."""
    if pending_link_token(request):
        return "/link"
    return safe_next(requested, default)


@router.get("/login", response_class=HTMLResponse)
async def login_form(page: PageDep, next: str = "") -> HTMLResponse:
    """The login form."""
    return page.render("login.html", values={"email": "", "next": safe_next(next, "")}, errors={})


@router.post(
    "/login",
    dependencies=[
        Depends(rate_limits.rate_limit(rate_limits.LOGIN, "login")),
        CSRF,
        Depends(
            rate_limits.rate_limit_field(rate_limits.LOGIN_PER_ACCOUNT, "login-email", "email")
        ),
    ],
)
async def login(
    page: PageDep,
    db: Db,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Open a session for correct credentials; the same answer for any wrong email or password."""
    user = await authenticate(db, email, password)
    if user is None:
        raise page.refuse(
            "login.html",
            400,
            values={"email": email, "next": safe_next(next, "")},
            errors={"form": "The email or the password is wrong."},
        )
    log_in(page.request, user)
    target = after_login_path(page.request, next, profile_path(user.display_name))
    return RedirectResponse(target, status_code=303)


@router.post("/logout", dependencies=[CSRF])
async def logout(request: Request, user: OptionalUser) -> RedirectResponse:
    """End the session, and every copy of its cookie."""
    log_out(request, user)
    return RedirectResponse("/", status_code=303)
