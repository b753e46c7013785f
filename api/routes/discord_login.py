"""Signing in with Discord, and adding Discord to a signed-in account, through OAuth2.

`/auth/discord` sends the visitor to Discord's consent page and `/auth/discord/callback` takes
them back: signed in as the learner behind that Discord account (created on the first visit),
or, for a flow started from `/account`, with Discord added to their account. Without
DISCORD_CLIENT_ID, DISCORD_CLIENT_SECRET and DISCORD_REDIRECT_URL every route here is a 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import RedirectResponse, Response

from api import rate_limits
from api.deps import AccountPage, Db, PageDep, Site
from api.forms import safe_next
from api.login_session import flash, log_in, remember_discord_sign_in, take_discord_sign_in
from api.pages import Page, Refusal, profile_path
from api.routes.auth import after_login_path
from core.accounts.discord_link import (
    DiscordIdentity,
    LinkRefused,
    attach_discord,
    sign_in_with_discord,
)
from core.accounts.discord_oauth import (
    PendingSignIn,
    SignInIntent,
    SignInProblem,
    SignInRefused,
    begin_sign_in,
    finish_sign_in,
)

#: what Discord sends back is short; anything longer is not from Discord
_ANSWER_MAX = 512


async def require_discord_sign_in(site: Site) -> None:
    """A 404 unless signing in with Discord is configured."""
    if not site.settings.discord_sign_in:
        raise HTTPException(404, "Signing in with Discord is not set up on this site.")


router = APIRouter(include_in_schema=False, dependencies=[Depends(require_discord_sign_in)])
_START_LIMIT = Depends(rate_limits.rate_limit(rate_limits.DISCORD_SIGN_IN, "discord-sign-in"))
_Answer = Annotated[str, Query(max_length=_ANSWER_MAX)]


async def _to_discord(
    page: Page, intent: SignInIntent, next_path: str, account_id: int | None = None
) -> RedirectResponse:
    start = await begin_sign_in(page.site.settings, intent, next_path, account_id)
    remember_discord_sign_in(page.request, start.token)
    return RedirectResponse(start.url, status_code=303)


@router.get("/auth/discord", dependencies=[_START_LIMIT])
async def sign_in(page: PageDep, next: _Answer = "") -> RedirectResponse:
    """Start signing in with Discord; afterwards go to `next` (a local path) or the profile."""
    return await _to_discord(page, SignInIntent.SIGN_IN, safe_next(next, ""))


@router.get("/auth/discord/link", dependencies=[_START_LIMIT])
async def add_discord(page: AccountPage) -> RedirectResponse:
    """Start adding a Discord account to the signed-in account.

    A link rather than a form: the site's content policy lets forms post only to the site, and
    Chromium applies that to the redirect to Discord too. Starting changes nothing; only the
    answer from Discord, bound to this browser's session, links.
    """
    return await _to_discord(page, SignInIntent.LINK, "/account", page.user.id)


def _refusal(page: Page, refused: SignInRefused) -> Refusal:
    """The error page of a failed sign-in: 502 when Discord failed, else 400."""
    discord_failed = refused.problem in (SignInProblem.REFUSED, SignInProblem.UNREACHABLE)
    return page.refuse(
        "error.html",
        502 if discord_failed else 400,
        title="Could not sign in with Discord",
        message=str(refused),
    )


async def _add_to_account(
    page: Page, db: Db, pending: PendingSignIn, identity: DiscordIdentity
) -> Response:
    if page.user is None or page.user.id != pending.account_id:
        raise page.refuse(
            "error.html",
            403,
            title="Could not add Discord",
            message="You were signed out before Discord answered. Sign in and add Discord again.",
        )
    try:
        user = await attach_discord(db, page.user, identity)
    except LinkRefused as refused:
        raise page.refuse("error.html", 409, title="Cannot link", message=str(refused)) from refused
    log_in(page.request, user)
    flash(page.request, f"Your Discord account {identity.discord_name} is now linked.")
    return RedirectResponse("/account", status_code=303)


@router.get("/auth/discord/callback")
async def callback(
    page: PageDep, db: Db, state: _Answer = "", code: _Answer = "", error: _Answer = ""
) -> Response:
    """Where Discord sends the visitor back: sign them in, or add Discord to their account."""
    token = take_discord_sign_in(page.request)
    try:
        pending, identity = await finish_sign_in(db, page.site.settings, token, state, code, error)
    except SignInRefused as refused:
        raise _refusal(page, refused) from refused
    if pending.intent is SignInIntent.LINK:
        return await _add_to_account(page, db, pending, identity)
    user = await sign_in_with_discord(db, identity)
    log_in(page.request, user)
    flash(page.request, f"Signed in with Discord as {identity.discord_name}.")
    target = after_login_path(page.request, pending.next_path, profile_path(user.display_name))
    return RedirectResponse(target, status_code=303)
