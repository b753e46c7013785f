"""Forgotten passwords: an emailed link, valid for an hour, usable once.

The link dies after use (its id is recorded) and after any password change (it carries a stamp
of the password it was issued for).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts.credentials import set_password
from core.accounts.identity import FormProblem, find_by_email, normalize_email, password_stamp
from core.accounts.tokens import (
    Purpose,
    TokenProblem,
    TokenRefused,
    ensure_unspent,
    issue_token,
    read_token,
    spend_token,
)
from core.models import User


@dataclass(frozen=True, slots=True)
class ResetLink:
    """Who to email and the token to put in the link."""

    user: User
    token: str


async def request_password_reset(
    session: AsyncSession, secret_key: str, raw_email: str
) -> ResetLink | None:
    """A reset token for the account with this email, or None (also for malformed input)."""
    try:
        email = normalize_email(raw_email)
    except FormProblem:
        return None
    user = await find_by_email(session, email)
    if user is None or user.password_hash is None:
        return None
    token = issue_token(
        secret_key,
        Purpose.PASSWORD_RESET,
        {"uid": user.id, "pw": password_stamp(user.password_hash)},
    )
    return ResetLink(user, token)


async def reset_link_user(session: AsyncSession, secret_key: str, token: str) -> User:
    """The account a reset link is for; raises `TokenRefused` when the link cannot be used."""
    payload = read_token(secret_key, Purpose.PASSWORD_RESET, token)
    await ensure_unspent(session, Purpose.PASSWORD_RESET, payload)
    user = await session.get(User, payload.get("uid"), populate_existing=True)
    if user is None or password_stamp(user.password_hash) != payload.get("pw"):
        raise TokenRefused(TokenProblem.USED)
    return user


async def reset_password(
    session: AsyncSession, secret_key: str, token: str, new_password: str
) -> User:
    """Set a new password through a reset link; raises `FormProblem` or `TokenRefused`.

    The caller commits; the link is spent in the same transaction.
    """
    user = await reset_link_user(session, secret_key, token)
    await set_password(user, new_password)
    await spend_token(
        session, Purpose.PASSWORD_RESET, read_token(secret_key, Purpose.PASSWORD_RESET, token)
    )
    return user
