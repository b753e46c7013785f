"""Linking a Discord account to a site account through the link the bot's `/link` command gives.

The bot calls `issue_link_url`; the site calls `link_identity` to read it and `link_discord` to use
it. A link is signed, valid for 15 minutes and usable once; it carries the Discord id and name.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts.merging import merge_account_into_learner
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
from core.settings import Settings


class LinkRefused(ValueError):
    """The link is genuine but cannot be applied to this account; the message says why."""


@dataclass(frozen=True, slots=True)
class DiscordIdentity:
    """The Discord account a link token speaks for."""

    discord_id: int
    discord_name: str


def issue_link_token(secret_key: str, discord_id: int, discord_name: str) -> str:
    """A signed, single-use token for linking this Discord account, valid for 15 minutes."""
    return issue_token(
        secret_key, Purpose.DISCORD_LINK, {"did": str(discord_id), "name": discord_name[:100]}
    )


def issue_link_url(settings: Settings, discord_id: int, discord_name: str) -> str:
    """The URL the bot's `/link` command shows: the site's `/link` page with a fresh token."""
    token = issue_link_token(settings.secret_key.get_secret_value(), discord_id, discord_name)
    return f"{settings.site_url.rstrip('/')}/link?{urlencode({'token': token})}"


def _identity(payload: dict[str, object]) -> DiscordIdentity:
    try:
        return DiscordIdentity(int(str(payload["did"])), str(payload["name"]))
    except (KeyError, ValueError) as error:
        raise TokenRefused(TokenProblem.INVALID) from error


async def link_identity(session: AsyncSession, secret_key: str, token: str) -> DiscordIdentity:
    """The Discord account a link token names; raises `TokenRefused` when it cannot be used."""
    payload = read_token(secret_key, Purpose.DISCORD_LINK, token)
    await ensure_unspent(session, Purpose.DISCORD_LINK, payload)
    return _identity(payload)


async def link_discord(session: AsyncSession, secret_key: str, token: str, account: User) -> User:
    """Attach the Discord account of a link token to a site account; returns the linked user.

    When the Discord account already has a learner row without an email (history from the bot),
    the two are merged and the learner's row is returned: the caller must continue with it. Raises
    `TokenRefused` for a bad, expired or used link and `LinkRefused` when either side is already
    linked elsewhere. Runs in the caller's transaction; the caller commits.
    """
    payload = read_token(secret_key, Purpose.DISCORD_LINK, token)
    identity = _identity(payload)
    await spend_token(session, Purpose.DISCORD_LINK, payload)
    if account.discord_id == identity.discord_id:
        account.discord_name = identity.discord_name
        return account
    if account.discord_id is not None:
        raise LinkRefused(
            "Your account is linked to another Discord account. Unlink it on your account page "
            "first, then run /link again."
        )
    learner = await session.scalar(select(User).where(User.discord_id == identity.discord_id))
    if learner is not None and learner.email is not None:
        raise LinkRefused("This Discord account is already linked to another site account.")
    if learner is not None:
        linked = await merge_account_into_learner(session, account, learner)
    else:
        account.discord_id = identity.discord_id
        linked = account
    linked.discord_name = identity.discord_name
    try:
        await session.flush()
    except IntegrityError as error:
        raise LinkRefused("This Discord account was just linked to another account.") from error
    return linked


def unlink_discord(account: User) -> None:
    """Detach the Discord account; the history earned so far stays with the site account."""
    account.discord_id = None
    account.discord_name = None
