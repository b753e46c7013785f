"""Logging in with email and password, ending sessions, and changing the password."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts.identity import FormProblem, find_by_email, normalize_email
from core.accounts.passwords import hash_password, password_problem, verify_password
from core.models import User, utcnow


async def authenticate(session: AsyncSession, raw_email: str, password: str) -> User | None:
    """The account these credentials open, or None; as slow for unknown emails as for known."""
    try:
        email = normalize_email(raw_email)
    except FormProblem:
        await verify_password(password, None)
        return None
    user = await find_by_email(session, email)
    if not await verify_password(password, user.password_hash if user else None):
        return None
    return user


def end_sessions(user: User) -> None:
    """End every site session of the account, in every browser; the caller commits."""
    user.session_generation += 1


async def set_password(user: User, new_password: str) -> None:
    """Store a new password after checking its strength; raises `FormProblem`.

    Ends every session of the account; the new hash ends every emailed link made before.
    """
    problem = password_problem(new_password, email=user.email or "", display_name=user.display_name)
    if problem:
        raise FormProblem("new_password", problem)
    user.password_hash = await hash_password(new_password)
    user.password_changed_at = utcnow()
    end_sessions(user)


async def change_password(user: User, current_password: str, new_password: str) -> None:
    """Replace the password of a logged-in learner who proves they know the current one."""
    if not await verify_password(current_password, user.password_hash):
        raise FormProblem("current_password", "Your current password is not correct.")
    await set_password(user, new_password)
