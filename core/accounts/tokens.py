"""Signed, expiring, single-use tokens for links sent by email or by the bot.

Each purpose has its own salt, so a token made for one purpose is worthless for another. A token
carries a random id; spending it records that id in `used_tokens`, whose unique constraint refuses a
second use even when two requests race.
"""

from __future__ import annotations

import enum
import secrets
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import UsedToken


class Purpose(enum.StrEnum):
    """What a token allows; each value is also the token's salt and its `used_tokens` purpose."""

    REGISTER = "register"
    PASSWORD_RESET = "password-reset"
    CHANGE_EMAIL = "change-email"
    DISCORD_LINK = "discord-link"
    #: a sign-in with Discord under way: its OAuth2 state and PKCE verifier
    DISCORD_SIGN_IN = "discord-sign-in"


#: How long each kind of token stays valid, in seconds.
LIFETIMES: dict[Purpose, int] = {
    Purpose.REGISTER: 24 * 3600,
    Purpose.PASSWORD_RESET: 3600,
    Purpose.CHANGE_EMAIL: 24 * 3600,
    Purpose.DISCORD_LINK: 15 * 60,
    Purpose.DISCORD_SIGN_IN: 10 * 60,
}


class TokenProblem(enum.StrEnum):
    """Why a token was refused."""

    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


class TokenRefused(ValueError):
    """A token cannot be used; `problem` says why."""

    def __init__(self, problem: TokenProblem) -> None:
        super().__init__(f"token {problem.value}")
        self.problem = problem


def _serializer(secret_key: str, purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"codestreak:{purpose.value}")


def issue_token(secret_key: str, purpose: Purpose, payload: dict[str, Any]) -> str:
    """A URL-safe signed token for `purpose` carrying `payload` and a fresh random id."""
    return _serializer(secret_key, purpose).dumps({**payload, "jti": secrets.token_urlsafe(16)})


def read_token(secret_key: str, purpose: Purpose, token: str) -> dict[str, Any]:
    """The payload of a genuine, unexpired token; raises `TokenRefused` otherwise.

    Does not check whether the token was already spent; see `ensure_unspent` and `spend_token`.
    """
    try:
        payload = _serializer(secret_key, purpose).loads(token, max_age=LIFETIMES[purpose])
    except SignatureExpired as error:
        raise TokenRefused(TokenProblem.EXPIRED) from error
    except BadSignature as error:
        raise TokenRefused(TokenProblem.INVALID) from error
    if not isinstance(payload, dict) or not isinstance(payload.get("jti"), str):
        raise TokenRefused(TokenProblem.INVALID)
    return payload


async def ensure_unspent(session: AsyncSession, purpose: Purpose, payload: dict[str, Any]) -> None:
    """Raise `TokenRefused(USED)` when the token was spent already; for pages that only look."""
    spent = await session.scalar(
        select(UsedToken.id).where(
            UsedToken.purpose == purpose.value, UsedToken.token_id == payload["jti"]
        )
    )
    if spent is not None:
        raise TokenRefused(TokenProblem.USED)


async def spend_token(session: AsyncSession, purpose: Purpose, payload: dict[str, Any]) -> None:
    """Record the token as used within the caller's transaction; a second use raises.

    The caller commits together with whatever the token allowed, so a failure later in the same
    transaction leaves the token unspent. After a refusal the transaction must be rolled back.
    """
    session.add(UsedToken(purpose=purpose.value, token_id=payload["jti"]))
    try:
        await session.flush()
    except IntegrityError as error:
        raise TokenRefused(TokenProblem.USED) from error
