"""Dependencies of the routes: the site, one database session per request, the visitor, CSRF."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, cast

from fastapi import Depends, Request
from limits import parse
from sqlalchemy.ext.asyncio import AsyncSession

from api.csrf import verify_form
from api.login_session import session_user
from api.pages import Page, UserPage
from api.rate_limits import PASSWORD_CHECK_PER_ACCOUNT, count_attempt
from api.state import SiteState
from core.models import User, utcnow
from core.moderators import curation_of


class LoginRequired(Exception):
    """The page needs a logged-in visitor; the site redirects to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__("login required")
        self.next_path = next_path


def get_site(request: Request) -> SiteState:
    """The state the app's lifespan built."""
    return cast(SiteState, request.app.state.site)


Site = Annotated[SiteState, Depends(get_site)]


async def get_db(site: Site) -> AsyncIterator[AsyncSession]:
    """The request's one database session, and its one commit: routes never commit.

    The work commits when the route returns and rolls back when anything raises (a refusal, a
    404, a bug). Both happen before the answer is sent (see `Db`), so a commit that fails turns
    the answer into an error instead of a success that was not kept.
    """
    async with site.sessions() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        await session.commit()


async def settle_before_waiting(db: AsyncSession) -> None:
    """Commit what the request wrote so far, before it waits a long time on something that
    writes through sessions of its own (grading a submission): the request then holds no lock
    that work needs (SQLite's write lock), and what it reads afterwards sees what that work
    wrote. The one place besides `get_db` that ends a request's transaction."""
    await db.commit()


#: `scope="function"` ends the session once the route returns, before the answer is sent; by
#: default FastAPI would end it only after the answer went out.
Db = Annotated[AsyncSession, Depends(get_db, scope="function")]


async def get_optional_user(request: Request, db: Db) -> User | None:
    """The logged-in visitor, or None."""
    return await session_user(request, db)


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


async def get_current_user(request: Request, user: OptionalUser) -> User:
    """The logged-in visitor; others are sent to the login page and brought back afterwards."""
    if user is None:
        raise LoginRequired(request.url.path)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def curates(db: AsyncSession, site: SiteState, user: User | None) -> bool:
    """Whether the visitor curates a catalogue now, so that the navigation links to the task
    designer (which checks again on every request)."""
    if user is None:
        return False
    return bool(await curation_of(db, user, site.settings.home_guild_ids, utcnow()))


async def get_page(request: Request, site: Site, db: Db, user: OptionalUser) -> Page:
    """The page being answered, for rendering templates."""
    return Page(request, site, user, curates=await curates(db, site, user))


PageDep = Annotated[Page, Depends(get_page)]


async def get_account_page(request: Request, site: Site, db: Db, user: CurrentUser) -> UserPage:
    """A page only a logged-in visitor may see."""
    return UserPage(request, site, user, curates=await curates(db, site, user))


AccountPage = Annotated[UserPage, Depends(get_account_page)]


async def check_csrf(request: Request, site: Site) -> None:
    """Refuse form posts without a valid CSRF token (the error handler answers 403)."""
    await verify_form(site.csrf, request)


CSRF = Depends(check_csrf)

_PASSWORD_CHECK = parse(PASSWORD_CHECK_PER_ACCOUNT)


async def check_password_attempts(request: Request, user: CurrentUser) -> None:
    """Count a form that verifies the visitor's password; refuse too many for one account."""
    await count_attempt(request, _PASSWORD_CHECK, "password-check", str(user.id))


PASSWORD_CHECK = Depends(check_password_attempts)
