"""Who may open the task designer, which catalogues they curate there, and its sandbox.

A catalogue is the shared one (`GLOBAL_CATALOGUE`) or one server's own tasks. Its designer pages
live at `/mod/tasks/...` for the shared catalogue and `/mod/s/<server id>/tasks/...` for a
server's, mirroring the learners' `/tasks/...` and `/s/<server id>/tasks/...`: slugs are unique
per catalogue only, so the address names both. What a visitor curates is re-read on every
request, so a server moderator's right lapses on its own a week after it was last seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import CurrentUser, Db, Site
from api.pages import UserPage
from core.designer.lifecycle import TaskRow, designer_list, find_task
from core.grading import Grader
from core.models import GLOBAL_CATALOGUE, Task, User, utcnow
from core.moderators import RIGHTS_FRESH_FOR, Curation, curation_of
from core.servers import known_server

REFUSAL = (
    "These pages are for the people who write tasks. A Discord server's moderators get them "
    "for their server's own tasks by linking their Discord account and using /mod in that "
    f"server; the right lasts {RIGHTS_FRESH_FOR.days} days after its last use there. The site's "
    "operator appoints the curators of the shared catalogue."
)
MISSING = "There is no task at this address."
NOT_YOURS = "You do not curate that catalogue: choose one of those the form offers."
SHARED_NAME = "Shared catalogue"


@dataclass(frozen=True, slots=True)
class Curator:
    """A logged-in visitor who curates at least one catalogue, with what they curate now."""

    user: User
    curation: Curation


async def get_curator(user: CurrentUser, db: Db, site: Site) -> Curator:
    """The logged-in visitor and the catalogues they curate at this moment: visitors log in
    first, and those who curate nothing (learners, lapsed moderators) are refused (403)."""
    curation = await curation_of(db, user, site.settings.home_guild_ids, utcnow())
    if not curation:
        raise HTTPException(403, REFUSAL)
    return Curator(user, curation)


@dataclass(frozen=True, slots=True)
class CuratorPage(UserPage):
    """A designer page: its visitor curates the catalogues in `curation`."""

    curation: Curation


def get_curator_page(
    request: Request, site: Site, curator: Annotated[Curator, Depends(get_curator)]
) -> CuratorPage:
    """A page only curators (of any catalogue) may see."""
    return CuratorPage(request, site, curator.user, curator.curation, curates=True)


DesignerPage = Annotated[CuratorPage, Depends(get_curator_page)]


def _catalogue_id(raw: str) -> int | None:
    """The owner a text names: "0" for the shared catalogue or a server's id, written the one
    way `str(int)` writes it (so each catalogue has one address); None for anything else."""
    if not (raw.isascii() and raw.isdigit()) or (raw.startswith("0") and raw != "0"):
        return None
    return int(raw)


def get_catalogue(request: Request, page: DesignerPage) -> int:
    """The catalogue the address names (`/mod/s/<server id>/...`, else the shared one) when the
    visitor curates it. Any other answers 404, as a missing task does: the designer never says
    whether another catalogue holds a task."""
    raw = request.path_params.get("guild_id")
    # `or None`: /mod/s/0/... names nothing, the shared catalogue's one address is /mod/tasks/...
    owner = GLOBAL_CATALOGUE if raw is None else _catalogue_id(raw) or None
    if owner is None or not page.curation.may_curate(owner):
        raise HTTPException(404, MISSING)
    return owner


#: the catalogue of the address, which the visitor curates
CuratedOwner = Annotated[int, Depends(get_catalogue)]


async def owned_task(db: AsyncSession, owner: int, slug: str) -> Task:
    """The task with this slug in catalogue `owner`, drafts included; 404 when it has none."""
    task = await find_task(db, slug, owner=owner)
    if task is None:
        raise HTTPException(404, MISSING)
    return task


def chosen_catalogue(curation: Curation, raw: str | None) -> int | None:
    """The catalogue a form chose for a new or imported task: the one named in the form, or the
    only one the visitor curates; None when they curate several and chose none. A catalogue they
    do not curate is refused (403)."""
    if not raw:
        return next(iter(curation.catalogues)) if len(curation.catalogues) == 1 else None
    owner = _catalogue_id(raw)
    if owner is None or not curation.may_curate(owner):
        raise HTTPException(403, NOT_YOURS)
    return owner


def catalogue_path(owner: int) -> str:
    """Where a catalogue's pages live below a site area: "" for the shared catalogue (so
    `/tasks/...`), `/s/<server id>` for a server's."""
    return "" if owner == GLOBAL_CATALOGUE else f"/s/{owner}"


def task_address(owner: int, slug: str) -> str:
    """A task's address below a site area: its learners' page, and with `/mod` before it its
    designer pages (e.g. `/mod/s/<server id>/tasks/<slug>/edit`)."""
    return f"{catalogue_path(owner)}/tasks/{slug}"


@dataclass(frozen=True, slots=True)
class Catalogue:
    """A catalogue as the designer shows it: its owner's id and its name."""

    owner: int
    name: str

    @property
    def path(self) -> str:
        """Where its pages live below a site area (see `catalogue_path`)."""
        return catalogue_path(self.owner)


async def catalogue_named(db: AsyncSession, owner: int) -> Catalogue:
    """A catalogue with its name: the shared one's, or the server's as the bot last saw it
    (else its id)."""
    if owner == GLOBAL_CATALOGUE:
        return Catalogue(owner, SHARED_NAME)
    server = await known_server(db, owner)
    return Catalogue(owner, server.name if server else f"Server {owner}")


async def curated_catalogues(db: AsyncSession, curation: Curation) -> list[Catalogue]:
    """Every catalogue the visitor curates: the shared one first, then servers by name."""
    catalogues = [await catalogue_named(db, owner) for owner in curation.catalogues]
    return sorted(catalogues, key=lambda c: (c.owner != GLOBAL_CATALOGUE, c.name.casefold()))


async def curated_tasks(
    db: AsyncSession, curation: Curation
) -> list[tuple[Catalogue, list[TaskRow]]]:
    """The tasks of every catalogue the visitor curates, drafts included, by catalogue."""
    rows = await designer_list(db, curation.catalogues)
    return [
        (catalogue, [row for row in rows if row.owner_guild_id == catalogue.owner])
        for catalogue in await curated_catalogues(db, curation)
    ]


def get_grader(site: Site) -> Grader:
    """The sandbox the designer validates with (set up by the app's lifespan)."""
    return site.grader


DesignerGrader = Annotated[Grader, Depends(get_grader)]
