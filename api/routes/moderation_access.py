"""Who may open the moderator pages, and the sandbox those pages grade with."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, HTTPException, Request

from api.deps import CurrentUser, Site
from api.pages import Page
from core.grading import Grader
from core.moderators import may_moderate

REFUSAL = (
    "These pages are for moderators. Moderators of a Discord server the bot serves get them by "
    "linking their Discord account; the site's operator can grant them too."
)


def get_moderator_page(request: Request, site: Site, user: CurrentUser) -> Page:
    """A page only moderators may see: visitors log in first, learners are refused (403)."""
    if not may_moderate(user):
        raise HTTPException(403, REFUSAL)
    return Page(request, site, user)


ModeratorPage = Annotated[Page, Depends(get_moderator_page)]


def get_grader(request: Request) -> Grader:
    """The sandbox the designer validates with (set up by the app's lifespan)."""
    return cast(Grader, request.app.state.grader)


DesignerGrader = Annotated[Grader, Depends(get_grader)]
