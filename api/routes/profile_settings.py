"""The account page's profile forms: change the display name, show or hide the public profile."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from limits import parse

from api.deps import CSRF, AccountPage, CurrentUser, Db
from api.login_session import flash
from api.rate_limits import PROFILE_CHANGE_PER_ACCOUNT, count_attempt
from core.accounts.identity import FormProblem
from core.accounts.profile_settings import change_display_name, set_profile_public

router = APIRouter(include_in_schema=False)

_PROFILE_CHANGES = parse(PROFILE_CHANGE_PER_ACCOUNT)
#: the checkbox's value when ticked (an unticked box sends nothing)
SHOWN = "yes"


async def count_profile_change(request: Request, user: CurrentUser) -> None:
    """Count one profile change of the visitor's account; refuse too many in an hour."""
    await count_attempt(request, _PROFILE_CHANGES, "profile-change", str(user.id))


PROFILE_CHANGE = Depends(count_profile_change)


@router.post("/account/display-name", dependencies=[CSRF, PROFILE_CHANGE])
async def display_name(
    page: AccountPage, db: Db, display_name: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    """Change the name shown on the profile, the leaderboards and in the profile's address."""
    try:
        name = await change_display_name(db, page.user, display_name)
    except FormProblem as problem:
        errors = {problem.field: problem.message}
        raise page.refuse("account.html", 400, errors=errors, typed_name=display_name) from problem
    flash(page.request, f"Your display name is now {name}.")
    return RedirectResponse("/account", status_code=303)


@router.post("/account/profile-visibility", dependencies=[CSRF, PROFILE_CHANGE])
async def profile_visibility(
    page: AccountPage, db: Db, profile_public: Annotated[str, Form(max_length=10)] = ""
) -> Response:
    """Show the profile to everyone, or to its owner only."""
    public = profile_public == SHOWN
    try:
        await set_profile_public(db, page.user, public)
    except FormProblem as problem:
        raise page.refuse("account.html", 400, errors={problem.field: problem.message}) from problem
    flash(
        page.request,
        "Your profile is public now." if public else "Your profile is now visible to you only.",
    )
    return RedirectResponse("/account", status_code=303)
