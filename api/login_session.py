"""Who is logged in: the user id and the account's session generation, in the signed cookie.

An account signs in with its email and password, or with the Discord account linked to it (a
learner known from the bot may have no email or password at all).

A session whose generation is no longer the account's ends by itself: logging out, changing the
password and changing the email move the generation on, which logs out every browser, including
any copy of the cookie taken before.
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts.credentials import end_sessions
from core.models import User

_USER = "uid"
_GENERATION = "gen"
_PENDING_LINK = "link_token"
_DISCORD_SIGN_IN = "discord_sign_in"


def log_in(request: Request, user: User) -> None:
    """Start (or renew) the logged-in session of `user`."""
    request.session[_USER] = user.id
    request.session[_GENERATION] = user.session_generation


def log_out(request: Request, user: User | None) -> None:
    """End the session entirely; with its `user`, end every copy of it too (the caller commits)."""
    if user is not None:
        end_sessions(user)
    request.session.clear()


async def session_user(request: Request, db: AsyncSession) -> User | None:
    """The logged-in user, or None; forgets a session the account no longer accepts."""
    user_id = request.session.get(_USER)
    if not isinstance(user_id, int):
        return None
    user = await db.get(User, user_id)
    if (
        user is None
        or (user.password_hash is None and user.discord_id is None)
        or request.session.get(_GENERATION) != user.session_generation
    ):
        request.session.pop(_USER, None)
        request.session.pop(_GENERATION, None)
        return None
    return user


def remember_link_token(request: Request, token: str) -> None:
    """Keep a Discord link token while its visitor logs in or registers."""
    request.session[_PENDING_LINK] = token


def pending_link_token(request: Request) -> str | None:
    """The Discord link token waiting for a login, if any."""
    token = request.session.get(_PENDING_LINK)
    return token if isinstance(token, str) else None


def forget_link_token(request: Request) -> None:
    """Drop the waiting Discord link token once it was used or refused."""
    request.session.pop(_PENDING_LINK, None)


def remember_discord_sign_in(request: Request, token: str) -> None:
    """Keep the token of a sign-in with Discord while the visitor is on Discord's page."""
    request.session[_DISCORD_SIGN_IN] = token


def take_discord_sign_in(request: Request) -> str | None:
    """The token of the sign-in with Discord under way, removed: it serves one answer."""
    token = request.session.pop(_DISCORD_SIGN_IN, None)
    return token if isinstance(token, str) else None


def flash(request: Request, message: str) -> None:
    """Queue a one-time notice for the next page shown to this visitor."""
    request.session.setdefault("flash", []).append(message)


def take_flashes(request: Request) -> list[str]:
    """The queued notices, removed from the session."""
    messages = request.session.pop("flash", [])
    return [str(m) for m in messages] if isinstance(messages, list) else []
