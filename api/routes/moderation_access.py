"""Who may open the moderator pages, and the sandbox those pages grade with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.deps import CurrentUser, Site
from api.pages import UserPage
from core.grading import Grader
from core.models import User

REFUSAL = (
    "These pages are for moderators. Moderators of a Discord server the bot serves get them by "
    "linking their Discord account; the site's operator can grant them too."
)


def get_current_moderator(user: CurrentUser) -> User:
    """The logged-in moderator: visitors log in first, learners are refused (403)."""
    if not user.is_curator:
        raise HTTPException(403, REFUSAL)
    return user


CurrentModerator = Annotated[User, Depends(get_current_moderator)]


def get_moderator_page(request: Request, site: Site, moderator: CurrentModerator) -> UserPage:
    """A page only moderators may see."""
    return UserPage(request, site, moderator)


ModeratorPage = Annotated[UserPage, Depends(get_moderator_page)]


def get_grader(site: Site) -> Grader:
    """The sandbox the designer validates with (set up by the app's lifespan)."""
    return site.grader


DesignerGrader = Annotated[Grader, Depends(get_grader)]
