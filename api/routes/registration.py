"""Registering: an email first, then a display name and password through the emailed link."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import rate_limits
from api.deps import CSRF, Db, PageDep
from api.emails import queue_registration_mail
from api.forms import ensure_confirmed
from api.login_session import log_in
from api.pages import profile_path
from api.routes.auth import after_login_path
from api.tokens import token_refusal
from core.accounts.identity import FormProblem
from core.accounts.registration import (
    complete_registration,
    registration_email,
    start_registration,
)
from core.accounts.tokens import Purpose, TokenRefused

router = APIRouter(include_in_schema=False)


@router.get("/register", response_class=HTMLResponse)
async def register_form(page: PageDep) -> HTMLResponse:
    """The first step: which email address to register."""
    return page.render("register.html", values={"email": ""}, errors={})


@router.post(
    "/register",
    dependencies=[Depends(rate_limits.rate_limit(rate_limits.REGISTER, "register")), CSRF],
)
async def register(
    page: PageDep, db: Db, background: BackgroundTasks, email: Annotated[str, Form()] = ""
) -> Response:
    """Email a confirmation link (or, for a registered address, a note); answer the same."""
    try:
        start = await start_registration(db, page.site.secret_key, email)
    except FormProblem as problem:
        raise page.refuse(
            "register.html", 400, values={"email": email}, errors={problem.field: problem.message}
        ) from problem
    queue_registration_mail(background, page.site, start.email, start.token)
    return page.render("check_inbox.html", email=start.email, purpose="register")


@router.get("/register/confirm", response_class=HTMLResponse)
async def confirm_form(page: PageDep, db: Db, token: str = "") -> HTMLResponse:
    """The second step: choose a display name and a password."""
    try:
        email = await registration_email(db, page.site.secret_key, token)
    except TokenRefused as refused:
        raise token_refusal(page, Purpose.REGISTER, refused.problem) from refused
    return page.render(
        "register_confirm.html", email=email, token=token, values={"display_name": ""}, errors={}
    )


@router.post(
    "/register/confirm",
    dependencies=[Depends(rate_limits.rate_limit(rate_limits.REGISTER, "register-confirm")), CSRF],
)
async def confirm(
    page: PageDep,
    db: Db,
    token: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    password_confirm: Annotated[str, Form()] = "",
) -> Response:
    """Create the account and log in."""
    try:
        email = await registration_email(db, page.site.secret_key, token)
        ensure_confirmed(password, password_confirm)
        user = await complete_registration(db, page.site.secret_key, token, display_name, password)
    except TokenRefused as refused:
        raise token_refusal(page, Purpose.REGISTER, refused.problem) from refused
    except FormProblem as problem:
        raise page.refuse(
            "register_confirm.html",
            400,
            email=email,
            token=token,
            values={"display_name": display_name},
            errors={problem.field: problem.message},
        ) from problem
    log_in(page.request, user)
    return RedirectResponse(
        after_login_path(page.request, None, profile_path(user.display_name)), status_code=303
    )
