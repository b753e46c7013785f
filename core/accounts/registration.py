"""Registration in two steps, so that no answer reveals whether an email is registered.

1. A learner gives an email address; the site always answers "check your inbox". A new address
   gets a signed link; a registered one gets a note with a way to reset the password instead.
2. The link opens a form for the display name and password; submitting it creates the account.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts.identity import (
    FormProblem,
    ensure_display_name_free,
    find_by_email,
    normalize_display_name,
    normalize_email,
)
from core.accounts.passwords import hash_password, password_problem
from core.accounts.tokens import (
    Purpose,
    TokenProblem,
    TokenRefused,
    ensure_unspent,
    issue_token,
    read_token,
    spend_token,
)
from core.models import User, utcnow


@dataclass(frozen=True, slots=True)
class RegistrationStart:
    """What to email: a confirmation link (`token`) for a new address, or None when registered."""

    email: str
    token: str | None


async def start_registration(
    session: AsyncSession, secret_key: str, raw_email: str
) -> RegistrationStart:
    """Check the address and make the confirmation token when it is not registered yet."""
    email = normalize_email(raw_email)
    if await find_by_email(session, email) is not None:
        return RegistrationStart(email, None)
    return RegistrationStart(email, issue_token(secret_key, Purpose.REGISTER, {"email": email}))


async def registration_email(session: AsyncSession, secret_key: str, token: str) -> str:
    """The address a registration link confirms; raises `TokenRefused` when it cannot be used."""
    payload = read_token(secret_key, Purpose.REGISTER, token)
    await ensure_unspent(session, Purpose.REGISTER, payload)
    email = str(payload.get("email", ""))
    if await find_by_email(session, email) is not None:
        raise TokenRefused(TokenProblem.USED)
    return email


async def complete_registration(
    session: AsyncSession, secret_key: str, token: str, raw_display_name: str, password: str
) -> User:
    """Create the account a registration link allows; raises `FormProblem` or `TokenRefused`.

    The caller commits. The token is spent in the same transaction as the account is created.
    """
    email = await registration_email(session, secret_key, token)
    display_name = normalize_display_name(raw_display_name)
    problem = password_problem(password, email=email, display_name=display_name)
    if problem:
        raise FormProblem("password", problem)
    await ensure_display_name_free(session, display_name)
    await spend_token(session, Purpose.REGISTER, read_token(secret_key, Purpose.REGISTER, token))
    user = User(
        email=email,
        display_name=display_name,
        password_hash=await hash_password(password),
        password_changed_at=utcnow(),
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as error:
        raise TokenRefused(TokenProblem.USED) from error
    return user
