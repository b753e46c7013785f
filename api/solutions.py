"""The Solutions section of a task's page and of its solutions pages.

The section is locked (a line saying when it unlocks, never any code) until the visitor solved
the task or curates its catalogue; then it shows the reference solution and a page of learners'
shared solutions (`core.solutions`), with their forms: votes, Stop sharing for one's own, Hide
and Unhide for moderators.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException
from sqlalchemy.ext.asyncio import AsyncSession

from api.pages import Page
from core.catalog import Audience, find_visible_task
from core.models import Task, VoteKind, utcnow
from core.solutions import SolutionsPage, Viewer, solutions_of, viewer_of

MISSING_TASK = "There is no published task at this address."


@dataclass(frozen=True, slots=True)
class SolutionsSection:
    """What the Solutions section shows, and where its links and forms go."""

    #: the task's page, e.g. `/tasks/<slug>` or `/s/<server>/tasks/<slug>`
    task_path: str
    viewer: Viewer
    #: None while locked for the viewer
    listing: SolutionsPage | None
    #: the section is on the task's page (else on a page of its own)
    on_task_page: bool = True

    @property
    def kinds(self) -> tuple[VoteKind, ...]:
        """The kinds of vote, in the order their buttons show."""
        return tuple(VoteKind)

    @property
    def hidden_link(self) -> str:
        """The list of solutions moderators hid."""
        return f"{self.task_path}/solutions?hidden=true"

    @property
    def back(self) -> str:
        """The page the section is on, where its forms come back to."""
        if self.on_task_page or self.listing is None:
            return self.task_path
        return self.page_link(self.listing.page_number)

    def page_link(self, number: int) -> str:
        """Another page of the same list."""
        hidden = "hidden=true&" if self.listing is not None and self.listing.hidden else ""
        return f"{self.task_path}/solutions?{hidden}page={number}"

    @property
    def previous_link(self) -> str | None:
        """The page before, if any."""
        listing = self.listing
        if listing is None or listing.page_number <= 1:
            return None
        return self.page_link(min(listing.page_number, listing.page_count + 1) - 1)

    @property
    def next_link(self) -> str | None:
        """The page after, if any."""
        listing = self.listing
        if listing is None or listing.page_number >= listing.page_count:
            return None
        return self.page_link(listing.page_number + 1)


async def shown_task(db: AsyncSession, audience: Audience, slug: str) -> Task:
    """The published task `slug` names for the audience (as its page finds it); 404 if none."""
    task = await find_visible_task(db, slug, audience, details=False)
    if task is None:
        raise HTTPException(404, MISSING_TASK)
    return task


async def viewer_on(page: Page, db: AsyncSession, task: Task) -> Viewer:
    """What the page's visitor may see and do with the task's solutions now."""
    return await viewer_of(db, page.user, task, page.site.settings.home_guild_ids, utcnow())


async def solutions_section(
    page: Page,
    db: AsyncSession,
    task: Task,
    task_path: str,
    page_number: int = 1,
    *,
    hidden: bool = False,
    on_task_page: bool = True,
) -> SolutionsSection:
    """The section for the page's visitor: locked, or one page of the task's solutions (with
    `hidden`, those moderators hid; only for those who curate it)."""
    viewer = await viewer_on(page, db, task)
    listing = (
        await solutions_of(db, task, viewer, page_number, hidden=hidden) if viewer.may_see else None
    )
    return SolutionsSection(task_path, viewer, listing, on_task_page)
