"""Password hashing (Argon2 through pwdlib) and the password strength rule."""

from __future__ import annotations

import asyncio

from pwdlib import PasswordHash

MIN_LENGTH = 10
MAX_LENGTH = 128
MIN_DISTINCT = 5

#: Passwords that meet the length rule yet are the first ones any attacker tries.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "0123456789",
        "1q2w3e4r5t",
        "qwertyuiop",
        "password12",
        "password123",
        "password1234",
        "iloveyou123",
        "letmein123",
        "welcome123",
        "codestreak",
        "codestreak1",
        "codestreak123",
    }
)

_hasher = PasswordHash.recommended()
#: A real hash of a random password, verified against when no account matches an email, so that
#: a failed login takes as long for an unknown email as for a known one.
_DUMMY_HASH = _hasher.hash("not a password anyone has: 6c0b4f8e")


def password_problem(password: str, *, email: str = "", display_name: str = "") -> str | None:
    """Why a new password is too weak, or None when it is acceptable.

    The rule: 10 to 128 characters, at least 5 different characters, not a well-known password,
    and not the account's email or display name.
    """
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if len(set(password)) < MIN_DISTINCT:
        return f"Use at least {MIN_DISTINCT} different characters."
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS:
        return "This password is too common; choose another one."
    personal = {email.lower(), email.lower().partition("@")[0], display_name.lower()} - {""}
    if any(part in lowered for part in personal if len(part) >= 4):
        return "Do not use your email or display name in your password."
    return None


async def hash_password(password: str) -> str:
    """An Argon2 hash of the password, computed off the event loop (it is slow on purpose)."""
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    """Whether the password matches the hash; with no hash, spends the same time and says no."""
    if password_hash is None:
        await asyncio.to_thread(_hasher.verify, password, _DUMMY_HASH)
        return False
    return await asyncio.to_thread(_hasher.verify, password, password_hash)
