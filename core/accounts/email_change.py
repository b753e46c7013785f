"""Changing the email address of an account, confirmed through a link sent to the new address.

An account that signs in with Discord only adds its first email the same way, with a password.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts.credentials import end_sessions, set_password
from core.accounts.identity import FormProblem, find_by_email, normalize_email, password_stamp
from core.accounts.passwords import password_problem, verify_password
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
class EmailChangeStart:
    """What to email to the new address: a confirmation link, or None when it is registered."""

    new_email: str
    token: str | None


async def request_email_change(
    session: AsyncSession, secret_key: str, user: User, raw_email: str, password: str
) -> EmailChangeStart:
    """Check the password and the new address; raises `FormProblem`.

    The answer to the learner is the same whether or not the new address is registered; only the
    owner of that address learns which, from the email they receive.
    """
    email = normalize_email(raw_email)
    if not await verify_password(password, user.password_hash):
        raise FormProblem("password", "Your password is not correct.")
    if email == user.email:
        raise FormProblem("email", "This is already your email address.")
    return await _confirmation(session, secret_key, user, email)


async def add_email_and_password(
    session: AsyncSession, secret_key: str, user: User, raw_email: str, new_password: str
) -> EmailChangeStart:
    """For an account that signs in with Discord only: set its first password now and send a
    link that adds the email once followed; raises `FormProblem`.

    The password ends every session of the account (the caller logs this browser in again);
    until the link is followed the account still signs in with Discord only.
    """
    if user.password_hash is not None:
        raise FormProblem("new_email", "Your account has a password already: change the email.")
    email = normalize_email(raw_email)
    problem = password_problem(new_password, email=email, display_name=user.display_name)
    if problem:
        raise FormProblem("new_password", problem)
    await set_password(user, new_password)
    return await _confirmation(session, secret_key, user, email)


async def _confirmation(
    session: AsyncSession, secret_key: str, user: User, email: str
) -> EmailChangeStart:
    """The link that moves `user` to `email`, or none when the address is registered."""
    if await find_by_email(session, email) is not None:
        return EmailChangeStart(email, None)
    token = issue_token(
        secret_key,
        Purpose.CHANGE_EMAIL,
        {"uid": user.id, "email": email, "pw": password_stamp(user.password_hash)},
    )
    return EmailChangeStart(email, token)


async def _pending_change(
    session: AsyncSession, secret_key: str, token: str
) -> tuple[User, dict[str, Any]]:
    payload = read_token(secret_key, Purpose.CHANGE_EMAIL, token)
    await ensure_unspent(session, Purpose.CHANGE_EMAIL, payload)
    user = await session.get(User, payload.get("uid"), populate_existing=True)
    if user is None or password_stamp(user.password_hash) != payload.get("pw"):
        raise TokenRefused(TokenProblem.USED)
    return user, payload


async def pending_email(session: AsyncSession, secret_key: str, token: str) -> str:
    """The new address a confirmation link would set; raises `TokenRefused`."""
    _, payload = await _pending_change(session, secret_key, token)
    return str(payload["email"])


async def confirm_email_change(session: AsyncSession, secret_key: str, token: str) -> User:
    """Move the account to the confirmed address, ending its sessions; raises `TokenRefused`.

    The caller commits.
    """
    user, payload = await _pending_change(session, secret_key, token)
    await spend_token(session, Purpose.CHANGE_EMAIL, payload)
    user.email = str(payload["email"])
    end_sessions(user)
    try:
        await session.flush()
    except IntegrityError as error:
        raise TokenRefused(TokenProblem.USED) from error
    return user
