"""Linking a Discord account to a site account, and signing in as a Discord account.

A Discord account is proven either by the link the bot's `/link` command gives or by signing in
with Discord (`core.accounts.discord_oauth`). The bot calls `issue_link_url`; the site calls
`link_identity` to read a link and `link_discord` to use it. A link is signed, valid for 15
minutes and usable once; it carries the Discord id and name.
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
from core.learners import learner_for_discord
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

    Raises `TokenRefused` for a bad, expired or used link; otherwise as `attach_discord`.
    """
    payload = read_token(secret_key, Purpose.DISCORD_LINK, token)
    identity = _identity(payload)
    await spend_token(session, Purpose.DISCORD_LINK, payload)
    return await attach_discord(session, account, identity)


async def attach_discord(session: AsyncSession, account: User, identity: DiscordIdentity) -> User:
    """Attach a Discord account, proven by a link or by signing in, to a site account.

    When the Discord account already has a learner row without an email (history from the bot),
    the two are merged and the learner's row is returned: the caller must continue with it.
    Raises `LinkRefused` when either side is already linked elsewhere: two site accounts are
    never merged. Runs in the caller's transaction; the caller commits.
    """
    if account.discord_id == identity.discord_id:
        account.discord_name = identity.discord_name
        return account
    if account.discord_id is not None:
        raise LinkRefused(
            "Your account is linked to another Discord account. Remove it on your account page "
            "first, then link this one."
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


async def sign_in_with_discord(session: AsyncSession, identity: DiscordIdentity) -> User:
    """The account of a Discord user who signed in on the site, created on their first visit.

    A learner known from the bot, or a site account linked to this Discord account, is found
    by its Discord id (its Discord name refreshed); anyone else gets a new account named after
    their Discord name, without an email or a password until they add them.
    """
    return await learner_for_discord(session, identity.discord_id, identity.discord_name)


def can_sign_in_without_discord(account: User) -> bool:
    """True when the account has an email and a password to sign in with instead."""
    return account.email is not None and account.password_hash is not None


def unlink_discord(account: User) -> None:
    """Detach the Discord account; the history earned so far stays with the site account.

    Raises `LinkRefused` when the account has no email and password: it would be locked out.
    """
    if not can_sign_in_without_discord(account):
        raise LinkRefused(
            "Add an email address and a password first: without Discord they are the only way "
            "to sign in to this account."
        )
    account.discord_id = None
    account.discord_name = None
