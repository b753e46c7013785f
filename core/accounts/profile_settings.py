"""What a learner shows the world: their display name, and whether their profile is public.

A display name follows the rules registration applies (`core.accounts.identity`). Making a
profile public needs a name that leads to it alone: one those rules accept (a learner known
from Discord may still carry their Discord name, which need not) and that no other public
profile shows.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts.identity import FormProblem, ensure_display_name_free, normalize_display_name
from core.models import User

PUBLIC_FIELD = "profile_public"


async def change_display_name(session: AsyncSession, user: User, raw_name: str) -> str:
    """Give `user` the display name `raw_name` (tidied), in the caller's transaction; raises
    `FormProblem` when registration would refuse it. Changing only its case is allowed."""
    name = normalize_display_name(raw_name)
    if name.lower() != user.display_name.lower():
        await ensure_display_name_free(session, name)
    user.display_name = name
    return name


async def set_profile_public(session: AsyncSession, user: User, public: bool) -> None:
    """Show (or hide) `user`'s profile to everyone, in the caller's transaction; raises
    `FormProblem` when their current name cannot lead to a public profile."""
    if public:
        try:
            usable = normalize_display_name(user.display_name) == user.display_name
        except FormProblem:
            usable = False
        if not usable:
            raise FormProblem(
                PUBLIC_FIELD, "Choose a display name first: your current one cannot be shown."
            )
        if await _another_public(session, user):
            raise FormProblem(
                PUBLIC_FIELD,
                "Another public profile already shows this name: choose another display name "
                "first.",
            )
    user.profile_public = public


async def _another_public(session: AsyncSession, user: User) -> bool:
    """Whether a public profile other than `user`'s shows their name (ignoring case)."""
    found = await session.scalar(
        select(User.id)
        .where(
            func.lower(User.display_name) == user.display_name.lower(),
            User.profile_public.is_(True),
            User.id != user.id,
        )
        .limit(1)
    )
    return found is not None
