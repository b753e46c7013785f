"""Forgotten passwords: ask for a link by email, then choose a new password through it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import rate_limits
from api.deps import CSRF, Db, PageDep
from api.emails import queue_reset_mail
from api.forms import ensure_confirmed
from api.login_session import flash
from api.tokens import token_refusal
from core.accounts.identity import FormProblem
from core.accounts.password_reset import request_password_reset, reset_link_user, reset_password
from core.accounts.tokens import Purpose, TokenRefused

router = APIRouter(include_in_schema=False)


@router.get("/forgot-password", response_class=HTMLResponse)
async def forgot_form(page: PageDep) -> HTMLResponse:
    """Ask for the address to send a reset link to."""
    return page.render("forgot_password.html")


@router.post(
    "/forgot-password",
    dependencies=[
        Depends(rate_limits.rate_limit(rate_limits.FORGOT_PASSWORD, "forgot-password")),
        CSRF,
        Depends(
            rate_limits.rate_limit_field(
                rate_limits.FORGOT_PASSWORD_PER_EMAIL, "forgot-password-email", "email"
            )
        ),
    ],
)
async def forgot(
    page: PageDep, db: Db, background: BackgroundTasks, email: Annotated[str, Form()] = ""
) -> HTMLResponse:
    """Email a reset link when the address has an account; the answer is the same either way."""
    link = await request_password_reset(db, page.site.secret_key, email)
    if link is not None and link.user.email:
        queue_reset_mail(background, page.site, link.user.email, link.token)
    return page.render("check_inbox.html", purpose="reset")


@router.get("/reset-password", response_class=HTMLResponse)
async def reset_form(page: PageDep, db: Db, token: str = "") -> HTMLResponse:
    """The new-password form of a valid reset link."""
    try:
        await reset_link_user(db, page.site.secret_key, token)
    except TokenRefused as refused:
        raise token_refusal(page, Purpose.PASSWORD_RESET, refused.problem) from refused
    return page.render("reset_password.html", token=token, errors={})


@router.post(
    "/reset-password",
    dependencies=[
        Depends(rate_limits.rate_limit(rate_limits.RESET_PASSWORD, "reset-password")),
        CSRF,
        Depends(
            rate_limits.rate_limit_field(
                rate_limits.RESET_PASSWORD_PER_LINK, "reset-password-link", "token"
            )
        ),
    ],
)
async def reset(
    page: PageDep,
    db: Db,
    token: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    password_confirm: Annotated[str, Form()] = "",
) -> Response:
    """Set the new password, spend the link and send the visitor to log in."""
    try:
        await reset_link_user(db, page.site.secret_key, token)
        ensure_confirmed(new_password, password_confirm)
        await reset_password(db, page.site.secret_key, token, new_password)
    except TokenRefused as refused:
        raise token_refusal(page, Purpose.PASSWORD_RESET, refused.problem) from refused
    except FormProblem as problem:
        raise page.refuse(
            "reset_password.html", 400, token=token, errors={problem.field: problem.message}
        ) from problem
    flash(page.request, "Your password was changed. Log in with your new password.")
    return RedirectResponse("/login", status_code=303)
