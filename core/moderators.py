"""Who may author tasks on the site: accounts an operator granted, or Discord moderators.

The bot marks a learner as a moderator when they use a moderator command in a server it serves
(Manage Server or the configured moderator role), so `User.is_moderator` covers both ways.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import User


class UnknownAccount(LookupError):
    """No site account has the given email address."""


def may_moderate(user: User | None) -> bool:
    """Whether this visitor may use the moderator pages."""
    return user is not None and user.is_moderator


async def set_moderator(session: AsyncSession, email: str, granted: bool) -> User:
    """Grant or revoke moderator rights of the account with `email`, in the caller's transaction.

    Emails are stored trimmed and in lower case, so the lookup is too. Raises UnknownAccount
    when no account has that address.
    """
    wanted = email.strip().lower()
    user = await session.scalar(select(User).where(User.email == wanted))
    if user is None:
        raise UnknownAccount(f"There is no site account with the email address {email.strip()}.")
    user.is_moderator = granted
    return user
