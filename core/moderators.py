"""Who may change which tasks: curators the shared catalogue, a server's moderators its own.

Rights are never global by accident. The operator appoints curators (`codestreak user curator`);
the moderators of the operator's home servers (`HOME_GUILD_IDS`) curate the shared catalogue
too. Any other server's moderators curate only that server's tasks. A Discord moderator's right
is recorded per server each time they use a moderator command, and the site honours it only
while it was seen recently (`RIGHTS_FRESH_FOR`): it lapses on its own when they lose the role.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.learners import learner_for_discord
from core.models import GLOBAL_CATALOGUE, ModeratorRight, User

#: how long a moderator right seen in Discord lets its holder use the site's designer
RIGHTS_FRESH_FOR = timedelta(days=7)


class UnknownAccount(LookupError):
    """No site account has the given email address."""


def catalogue_of(guild_id: int, home_guild_ids: Collection[int]) -> int:
    """The catalogue a server's moderators curate: the shared one for the operator's home
    servers, otherwise the server's own tasks (owned by its id)."""
    return GLOBAL_CATALOGUE if guild_id in home_guild_ids else guild_id


@dataclass(frozen=True, slots=True)
class Curation:
    """The catalogues one person may change: `GLOBAL_CATALOGUE` and/or servers' ids."""

    catalogues: frozenset[int] = frozenset()

    def may_curate(self, owner_guild_id: int) -> bool:
        """Whether they may add, edit, publish or see drafts of tasks of this owner."""
        return owner_guild_id in self.catalogues

    @property
    def curator(self) -> bool:
        """Whether they curate the shared catalogue."""
        return GLOBAL_CATALOGUE in self.catalogues

    @property
    def servers(self) -> frozenset[int]:
        """The servers whose own tasks they curate."""
        return self.catalogues - {GLOBAL_CATALOGUE}

    def __bool__(self) -> bool:
        return bool(self.catalogues)


async def record_moderator(
    session: AsyncSession, discord_id: int, name: str, guild_id: int, now: datetime
) -> User:
    """Remember that this Discord account was just seen moderating `guild_id` (it passed the
    check and acted), in the caller's transaction; returns the learner."""
    user = await learner_for_discord(session, discord_id, name, guild_id)
    seen = await session.execute(
        update(ModeratorRight)
        .where(ModeratorRight.user_id == user.id, ModeratorRight.guild_id == guild_id)
        .values(last_seen_at=now)
    )
    if seen.rowcount:  # type: ignore[attr-defined]
        return user
    try:
        async with session.begin_nested():
            session.add(ModeratorRight(user_id=user.id, guild_id=guild_id, last_seen_at=now))
    except IntegrityError:  # recorded by a concurrent command of the same moderator
        pass
    return user


async def forget_moderator(session: AsyncSession, discord_id: int, guild_id: int) -> bool:
    """Forget that this Discord account moderates `guild_id` (it just failed the check there),
    in the caller's transaction, so the site stops honouring the right at once instead of when
    it lapses. True when there was a right to forget."""
    user_id = select(User.id).where(User.discord_id == discord_id).scalar_subquery()
    forgotten = await session.execute(
        delete(ModeratorRight).where(
            ModeratorRight.user_id == user_id, ModeratorRight.guild_id == guild_id
        )
    )
    return bool(forgotten.rowcount)  # type: ignore[attr-defined]


async def curation_of(
    session: AsyncSession, user: User, home_guild_ids: Collection[int], now: datetime
) -> Curation:
    """What `user` may curate now: the shared catalogue when appointed, and the catalogue of
    every server whose moderator rights were seen within `RIGHTS_FRESH_FOR`."""
    fresh = await session.scalars(
        select(ModeratorRight.guild_id).where(
            ModeratorRight.user_id == user.id,
            ModeratorRight.last_seen_at >= now - RIGHTS_FRESH_FOR,
        )
    )
    catalogues = {catalogue_of(guild_id, home_guild_ids) for guild_id in fresh}
    if user.is_curator:
        catalogues.add(GLOBAL_CATALOGUE)
    return Curation(frozenset(catalogues))


async def set_curator(session: AsyncSession, account: str, granted: bool) -> User:
    """Appoint (or dismiss) a curator, in the caller's transaction: `account` is the email
    address of a site account, or the Discord id of a learner without one (who curates once
    they link a site account).

    Either way the operator has decided, so the account stops being listed as a former
    moderator awaiting a decision. Emails are stored trimmed and in lower case, so the lookup
    is too. Raises UnknownAccount when no account matches.
    """
    wanted = account.strip()
    by = User.discord_id == int(wanted) if wanted.isdigit() else User.email == wanted.lower()
    user = await session.scalar(select(User).where(by))
    if user is None:
        kind = "Discord id" if wanted.isdigit() else "email address"
        raise UnknownAccount(f"There is no account with the {kind} {wanted}.")
    user.is_curator = granted
    user.former_moderator = False
    return user


async def curators(session: AsyncSession) -> list[User]:
    """The appointed curators, oldest account first."""
    return list(await session.scalars(select(User).where(User.is_curator).order_by(User.id)))


async def former_moderators(session: AsyncSession) -> list[User]:
    """Accounts that were site-wide moderators before rights became per server and that the
    operator has not decided about yet, oldest first."""
    return list(await session.scalars(select(User).where(User.former_moderator).order_by(User.id)))
