"""Tasks in and out of the site as `data/tasks/` JSON files: export one, import one.

Importing takes the same path as Discord's task upload and `codestreak content load`:
`core.content.intake.import_task_document` validates, proves in the sandbox and saves, into the
catalogue the import form chose among those the visitor curates.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import RedirectResponse, Response

from api.deps import CSRF, Db
from api.login_session import flash
from api.routes.moderation_access import (
    CuratedOwner,
    DesignerGrader,
    DesignerPage,
    chosen_catalogue,
    curated_tasks,
    owned_task,
    task_address,
)
from core.content.files import MAX_FILE_BYTES
from core.content.intake import import_task_document
from core.content.loader import ContentError
from core.designer.lifecycle import current_task_file, export_json
from sandbox import SandboxError

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
#: the export of one task, mounted below each catalogue's address with the designer's pages
task_router = APIRouter(include_in_schema=False)


@task_router.get("/tasks/{slug}/export")
async def export_task(page: DesignerPage, db: Db, owner: CuratedOwner, slug: str) -> Response:
    """Download the task's current version as `<slug>.json`, as `data/tasks/` keeps it."""
    task = await owned_task(db, owner, slug)
    return Response(
        export_json(await current_task_file(db, task)),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{task.slug}.json"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/mod/tasks/import", dependencies=[CSRF])
async def import_task(
    page: DesignerPage,
    db: Db,
    grader: DesignerGrader,
    document: Annotated[UploadFile | None, File()] = None,
    catalogue: Annotated[str | None, Form()] = None,
) -> Response:
    """Create or update a task of a curated catalogue from an uploaded JSON file, proved in the
    sandbox first."""
    owner = chosen_catalogue(page.curation, catalogue)
    problems: list[str] = []
    name = (document.filename if document else None) or "upload.json"
    raw = await document.read(MAX_FILE_BYTES + 1) if document else b""
    if owner is None:
        problems.append("Choose the catalogue to import the task into.")
    elif not raw:
        problems.append("Choose a task file (JSON) to import.")
    else:
        try:
            imported = await import_task_document(
                db, grader, raw, name, saved_by=page.user.id, owner=owner
            )
        except ContentError as refused:
            problems.extend(refused.problems)
        except SandboxError as exc:
            problems.append(f"The sandbox could not run the programs: {exc}. Try again shortly.")
    if problems or owner is None:
        raise page.refuse(
            "mod_tasks.html",
            400,
            catalogues=await curated_tasks(db, page.curation),
            problems=problems,
            chosen=owner,
        )
    task = imported.task
    done = "Imported" if imported.created else "Updated" if imported.changed else "Unchanged:"
    logger.info("task %s imported by user %d into %d", task.slug, page.user.id, owner)
    flash(page.request, f"{done} {task.title} ({task.slug}); it passed validation in the sandbox.")
    return RedirectResponse(f"/mod{task_address(owner, task.slug)}/edit", status_code=303)
