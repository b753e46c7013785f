"""Rules for the email addresses and display names learners choose."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import User
from core.public_names import looks_like_pseudonym

EMAIL_MAX = 254
NAME_MIN = 2
NAME_MAX = 32
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class FormProblem(ValueError):
    """A value a learner typed was refused; `field` names the form field, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalize_email(raw: str) -> str:
    """The canonical form of an email address (trimmed, lower case); raises `FormProblem`."""
    email = raw.strip().lower()
    if not email:
        raise FormProblem("email", "Enter your email address.")
    if len(email) > EMAIL_MAX or not _EMAIL.fullmatch(email):
        raise FormProblem("email", "Enter a valid email address, like ada@example.com.")
    return email


def normalize_display_name(raw: str) -> str:
    """A display name with spaces tidied; raises `FormProblem` when it cannot be used.

    Any printable characters are allowed (pages escape them); control characters, slashes,
    names of the wrong length and names that read like the site's pseudonyms ("Learner 42",
    `core.public_names`) are refused.
    """
    name = " ".join(raw.split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise FormProblem("display_name", f"Use {NAME_MIN} to {NAME_MAX} characters.")
    if "/" in name or any(unicodedata.category(c).startswith("C") for c in name):
        raise FormProblem("display_name", "Use letters, digits, spaces and punctuation except /.")
    if looks_like_pseudonym(name):
        raise FormProblem("display_name", "Names like “Learner 42” are kept for private profiles.")
    return name


async def ensure_display_name_free(session: AsyncSession, name: str) -> None:
    """Raise `FormProblem` when another learner already shows this name (ignoring case)."""
    query = select(User.id).where(func.lower(User.display_name) == name.lower())
    if await session.scalar(query.limit(1)) is not None:
        raise FormProblem("display_name", "This display name is taken; choose another one.")


async def find_by_email(session: AsyncSession, email: str) -> User | None:
    """The account registered with this (normalized) email, if any."""
    return await session.scalar(select(User).where(User.email == email))


def password_stamp(password_hash: str | None) -> str:
    """A short fingerprint of the current password hash; it changes whenever the password does.

    Emailed links carry it, so that changing the password ends them all.
    """
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:20]
