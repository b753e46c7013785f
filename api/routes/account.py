"""The account page: email, password, Discord link, data export and account deletion."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Form
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from api import rate_limits
from api.deps import CSRF, PASSWORD_CHECK, AccountPage, Db, PageDep
from api.emails import queue_email_change_mail
from api.forms import ensure_confirmed
from api.login_session import flash, log_in, log_out
from api.pages import Page, Refusal
from api.tokens import token_refusal
from core.accounts.credentials import change_password
from core.accounts.discord_link import LinkRefused, unlink_discord
from core.accounts.email_change import (
    add_email_and_password,
    confirm_email_change,
    pending_email,
    request_email_change,
)
from core.accounts.identity import FormProblem
from core.accounts.passwords import verify_password
from core.accounts.tokens import Purpose, TokenRefused
from core.privacy import delete_learner, export_learner

router = APIRouter(include_in_schema=False)


def _refused(page: Page, **errors: str) -> Refusal:
    """The account page again, with what was wrong by field."""
    return page.refuse("account.html", 400, errors=errors)


@router.get("/account", response_class=HTMLResponse)
async def account(page: AccountPage) -> HTMLResponse:
    """The logged-in learner's settings."""
    return page.render("account.html", errors={})


@router.post("/account/password", dependencies=[CSRF, PASSWORD_CHECK])
async def password(
    page: AccountPage,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    password_confirm: Annotated[str, Form()] = "",
) -> Response:
    """Change the password; every other session of the account ends, this one continues."""
    try:
        ensure_confirmed(new_password, password_confirm)
        await change_password(page.user, current_password, new_password)
    except FormProblem as problem:
        raise _refused(page, **{problem.field: problem.message}) from problem
    log_in(page.request, page.user)
    flash(page.request, "Your password was changed. Other browsers were logged out.")
    return RedirectResponse("/account", status_code=303)


@router.post(
    "/account/email",
    dependencies=[
        CSRF,
        PASSWORD_CHECK,
        Depends(
            rate_limits.rate_limit_field(
                rate_limits.EMAIL_CHANGE_PER_ADDRESS, "email-change", "new_email"
            )
        ),
    ],
)
async def email(
    page: AccountPage,
    db: Db,
    background: BackgroundTasks,
    new_email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    """Send a confirmation link to the new address; the email changes once it is followed."""
    try:
        start = await request_email_change(db, page.site.secret_key, page.user, new_email, password)
    except FormProblem as problem:
        field = "new_email" if problem.field == "email" else "email_password"
        raise _refused(page, **{field: problem.message}) from problem
    queue_email_change_mail(background, page.site, start.new_email, start.token)
    flash(page.request, f"We sent a confirmation link to {start.new_email}. Follow it to finish.")
    return RedirectResponse("/account", status_code=303)


@router.post(
    "/account/email-and-password",
    dependencies=[
        CSRF,
        PASSWORD_CHECK,
        Depends(
            rate_limits.rate_limit_field(
                rate_limits.EMAIL_CHANGE_PER_ADDRESS, "email-change", "new_email"
            )
        ),
    ],
)
async def email_and_password(
    page: AccountPage,
    db: Db,
    background: BackgroundTasks,
    new_email: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    password_confirm: Annotated[str, Form()] = "",
) -> Response:
    """Give an account that signs in with Discord only a password, and an email once confirmed."""
    try:
        ensure_confirmed(new_password, password_confirm)
        start = await add_email_and_password(
            db, page.site.secret_key, page.user, new_email, new_password
        )
    except FormProblem as problem:
        field = "new_email" if problem.field == "email" else problem.field
        raise _refused(page, **{field: problem.message}) from problem
    log_in(page.request, page.user)
    queue_email_change_mail(background, page.site, start.new_email, start.token)
    flash(
        page.request,
        f"Your password is set. We sent a confirmation link to {start.new_email}: follow it to "
        "sign in with your email too.",
    )
    return RedirectResponse("/account", status_code=303)


@router.get("/account/email/confirm", response_class=HTMLResponse)
async def email_confirm_form(page: PageDep, db: Db, token: str = "") -> HTMLResponse:
    """Ask to confirm the new address (a button, so that link scanners cannot confirm it)."""
    try:
        new_email = await pending_email(db, page.site.secret_key, token)
    except TokenRefused as refused:
        raise token_refusal(page, Purpose.CHANGE_EMAIL, refused.problem) from refused
    return page.render("email_confirm.html", token=token, new_email=new_email)


@router.post("/account/email/confirm", dependencies=[CSRF])
async def email_confirm(page: PageDep, db: Db, token: Annotated[str, Form()] = "") -> Response:
    """Move the account to the confirmed address."""
    try:
        user = await confirm_email_change(db, page.site.secret_key, token)
    except TokenRefused as refused:
        raise token_refusal(page, Purpose.CHANGE_EMAIL, refused.problem) from refused
    here = page.user is not None and page.user.id == user.id
    if here:  # this browser stays logged in; every other one is logged out
        log_in(page.request, user)
    flash(page.request, f"Your email address is now {user.email}.")
    return RedirectResponse("/account" if here else "/login", status_code=303)


@router.post("/account/unlink", dependencies=[CSRF])
async def unlink(page: AccountPage) -> Response:
    """Detach the linked Discord account, unless it is the account's only way to sign in."""
    if page.user.discord_id is not None:
        try:
            unlink_discord(page.user)
        except LinkRefused as refused:
            raise page.refuse(
                "error.html", 409, title="Discord stays linked", message=str(refused)
            ) from refused
        flash(page.request, "Your Discord account was removed from your account.")
    return RedirectResponse("/account", status_code=303)


@router.get("/account/export")
async def export(page: AccountPage, db: Db) -> JSONResponse:
    """Download everything stored about the learner as a JSON file."""
    data = await export_learner(db, page.user.id)
    return JSONResponse(
        data,
        headers={
            "Content-Disposition": f'attachment; filename="codestreak-{page.user.id}.json"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/account/delete", response_class=HTMLResponse)
async def delete_form(page: AccountPage) -> HTMLResponse:
    """Ask for the password and a confirmation before deleting the account."""
    return page.render("delete_account.html", errors={})


@router.post("/account/delete", dependencies=[CSRF, PASSWORD_CHECK])
async def delete(
    page: AccountPage,
    db: Db,
    password: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    """Delete the account and all its history for good, then log out."""
    errors = {}
    if confirm != "yes":
        errors["confirm"] = "Tick the box to confirm that you want to delete everything."
    # an account without a password signed in with Discord just now: that proves who it is
    has_password = page.user.password_hash is not None
    if has_password and not await verify_password(password, page.user.password_hash):
        errors["password"] = "Your password is not correct."
    if errors:
        raise page.refuse("delete_account.html", 400, errors=errors)
    await delete_learner(db, page.user.id)
    log_out(page.request, None)
    flash(page.request, "Your account and all its data were deleted.")
    return RedirectResponse("/", status_code=303)
