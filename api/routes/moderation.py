"""The task designer: curators list, write, validate, save and publish the tasks of the
catalogues they curate (the shared one, their servers' own).

The form works with plain posts: every button posts the whole form under `action`, and the page
comes back with what was typed, plus the preview, the sandbox's report or the errors by field.
A new task goes to the catalogue its form chooses; an existing task's pages live at its
catalogue's address (see `api.routes.moderation_access`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import CSRF, Db
from api.login_session import flash
from api.markdown import render_statement
from api.pages import Refusal
from api.routes import moderation_transfer
from api.routes.moderation_access import (
    MISSING,
    CuratedOwner,
    CuratorPage,
    DesignerGrader,
    DesignerPage,
    catalogue_named,
    chosen_catalogue,
    curated_catalogues,
    curated_tasks,
    owned_task,
    task_address,
)
from core.content.loader import shared_slug_refusal, shared_slugs
from core.content.schema import MAX_HINTS, Difficulty, TaskFile
from core.designer.checks import Filled, ValidationReport, fill_expected, validate
from core.designer.draft import (
    GENERAL,
    DraftTest,
    DraftWrong,
    TaskDraft,
    draft_from_form,
    draft_of,
    run_settings,
    task_of,
)
from core.designer.lifecycle import (
    DesignerRefused,
    TaskMissing,
    changes_need_validation,
    current_task_file,
    find_task,
    history,
    is_validated,
    save_task,
    set_published,
    status_of,
)
from core.grading import Grader
from core.hints import HINT_RULE
from sandbox import CompareMode, SandboxError

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
#: the pages of one task, mounted below each catalogue's address (the prefixes at the end)
task_router = APIRouter(include_in_schema=False)

SANDBOX_DOWN = "The sandbox could not run the programs: {}. Try again in a moment."
CHOOSE_CATALOGUE = "Choose the catalogue this task belongs to."


@router.get("/mod/tasks", response_class=HTMLResponse)
async def task_list(page: DesignerPage, db: Db) -> HTMLResponse:
    """The tasks of every catalogue the visitor curates, by catalogue, with their status and
    version, the import form and links to new tasks."""
    return page.render(
        "mod_tasks.html",
        catalogues=await curated_tasks(db, page.curation),
        problems=[],
        chosen=None,
    )


@dataclass(slots=True)
class Designer:
    """One rendering of the designer form: what was typed and what the last action found."""

    draft: TaskDraft
    #: the task's catalogue; None while a new task's form has not chosen one
    owner: int | None
    errors: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    report: ValidationReport | None = None
    filled: Filled | None = None


async def _render(
    page: CuratorPage,
    db: AsyncSession,
    designer: Designer,
    slug: str | None,
    status_code: int = 200,
) -> HTMLResponse:
    """The designer page: a new task's, or an existing one's with its state and history."""
    owner = designer.owner
    task = await find_task(db, slug, owner=owner) if slug and owner is not None else None
    address = task_address(task.owner_guild_id, task.slug) if task else None
    return page.render(
        "mod_task_form.html",
        status_code,
        designer=designer,
        draft=designer.draft,
        errors=designer.errors,
        general_error=designer.errors.get(GENERAL),
        preview=render_statement(designer.draft.statement) if designer.draft.statement else None,
        task=task,
        address=address,
        catalogue=await catalogue_named(db, task.owner_guild_id) if task else None,
        catalogues=[] if task else await curated_catalogues(db, page.curation),
        status=status_of(task) if task else None,
        validated=is_validated(task) if task else False,
        versions=await history(db, task) if task else [],
        form_action=f"/mod{address}/edit" if address else "/mod/tasks/new",
        difficulties=list(Difficulty),
        compare_modes=list(CompareMode),
        max_hints=MAX_HINTS,
        hint_rule=HINT_RULE,
    )


async def _answer(
    page: CuratorPage,
    db: AsyncSession,
    designer: Designer,
    slug: str | None,
    status_code: int = 200,
) -> HTMLResponse:
    """The designer page after a button; raised as a refusal when the action failed."""
    response = await _render(page, db, designer, slug, status_code)
    if status_code >= 400:
        raise Refusal(response)
    return response


@router.get("/mod/tasks/new", response_class=HTMLResponse)
async def new_task(page: DesignerPage, db: Db, catalogue: str | None = None) -> HTMLResponse:
    """An empty designer form, in the catalogue `catalogue` names when given."""
    owner = chosen_catalogue(page.curation, catalogue)
    return await _render(page, db, Designer(TaskDraft(), owner), None)


@task_router.get("/tasks/{slug}/edit", response_class=HTMLResponse)
async def edit_task(page: DesignerPage, db: Db, owner: CuratedOwner, slug: str) -> HTMLResponse:
    """The designer form filled with the task's current version."""
    task = await owned_task(db, owner, slug)
    draft = draft_of(await current_task_file(db, task))
    return await _render(page, db, Designer(draft, owner), slug)


async def _form_fields(page: CuratorPage) -> dict[str, str]:
    """The text fields the designer form posted."""
    form = await page.request.form()
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


def _edit_rows(action: str, draft: TaskDraft) -> bool:
    """Add or remove a test, wrong-solution or hint row (`add-hint`, `remove-hint-2`); False
    when `action` is not a row edit."""
    tables: dict[str, tuple[list[Any], Callable[[], Any]]] = {
        "test": (draft.tests, DraftTest),
        "wrong": (draft.wrong_solutions, DraftWrong),
        "hint": (draft.hints, str),
    }
    verb, _, target = action.partition("-")
    kind, _, number = target.partition("-")
    if kind not in tables:
        return False
    rows, new_row = tables[kind]
    if verb == "add" and not number:
        rows.append(new_row())
    elif verb == "remove" and number.isdigit():
        if int(number) < len(rows):
            del rows[int(number)]
    else:
        return False
    return True


async def _fill(grader: Grader, designer: Designer) -> int:
    """Fill empty expected outputs from the reference solution; the status code to answer."""
    draft = designer.draft
    settings, designer.errors = run_settings(draft)
    if settings is None:
        return 400
    limits, compare = settings
    try:
        designer.filled = await fill_expected(grader, draft.solution, draft.tests, limits, compare)
    except SandboxError as exc:
        logger.warning("the designer could not reach the sandbox: %s", exc)
        designer.messages.append(SANDBOX_DOWN.format(exc))
        return 503
    draft.tests = designer.filled.tests
    filled = designer.filled.filled
    designer.messages.append(
        f"Filled {filled} expected output{'' if filled == 1 else 's'} from the reference solution."
        if filled or designer.filled.errors
        else "Every test already has an expected output; filled cells are never overwritten."
    )
    return 400 if designer.filled.errors else 200


async def _validated_save(
    page: CuratorPage,
    db: AsyncSession,
    grader: Grader,
    designer: Designer,
    task: TaskFile,
    owner: int,
    new: bool,
) -> int:
    """Validate in the sandbox and save as a proved version when it passes; the status code."""
    try:
        designer.report = await validate(grader, task)
    except SandboxError as exc:
        logger.warning("the designer could not reach the sandbox: %s", exc)
        designer.messages.append(SANDBOX_DOWN.format(exc))
        return 503
    if not designer.report.passed:
        designer.messages.append("Validation failed, so nothing was saved. See the report below.")
        return 200
    saved = await save_task(db, task, page.user.id, new=new, validated=True, owner=owner)
    designer.messages.append(
        f"Validation passed. Saved as version {saved.version}."
        if saved.changed
        else f"Validation passed. Version {saved.version} is unchanged and now validated."
    )
    return 200


async def _designer_post(
    page: CuratorPage,
    db: AsyncSession,
    grader: Grader,
    fields: dict[str, str],
    owner: int | None,
    slug: str | None,
) -> Response:
    """Handle any button of the designer form: of a new task when `slug` is None (`owner` is
    the catalogue its form chose, if any), else of that task of catalogue `owner`."""
    action = fields.get("action", "save")
    draft = draft_from_form(fields)
    if slug is not None:
        draft.slug = slug
    designer = Designer(draft, owner)
    if action == "preview" or _edit_rows(action, draft):
        return await _answer(page, db, designer, slug)
    if action == "fill":
        return await _answer(page, db, designer, slug, await _fill(grader, designer))
    task, designer.errors = task_of(draft)
    if owner is None:
        designer.errors["catalogue"] = CHOOSE_CATALOGUE
    if task is None or owner is None:
        designer.messages.append("Some fields need attention; nothing was saved.")
        return await _answer(page, db, designer, slug, 400)
    new = slug is None
    existing = await find_task(db, task.slug, owner=owner)
    if new and existing is not None:
        designer.errors["slug"] = f"A task with the slug '{task.slug}' already exists."
        return await _answer(page, db, designer, slug, 400)
    if new and await shared_slugs(db, [task.slug], owner):  # refused before the sandbox runs
        designer.errors["slug"] = shared_slug_refusal(task.slug)
        return await _answer(page, db, designer, slug, 400)
    try:
        if action == "validate" or changes_need_validation(existing):
            status_code = await _validated_save(page, db, grader, designer, task, owner, new)
            return await _answer(page, db, designer, task.slug, status_code)
        saved = await save_task(db, task, page.user.id, new=new, validated=False, owner=owner)
    except DesignerRefused as refused:
        designer.errors["slug" if new else GENERAL] = str(refused)
        return await _answer(page, db, designer, slug, 400)
    flash(
        page.request,
        f"Saved as version {saved.version}." if saved.changed else "No changes to save.",
    )
    return RedirectResponse(f"/mod{task_address(owner, task.slug)}/edit", status_code=303)


@router.post("/mod/tasks/new", dependencies=[CSRF])
async def create_task(page: DesignerPage, db: Db, grader: DesignerGrader) -> Response:
    """Preview, edit rows, fill outputs, validate or save a new task in a curated catalogue."""
    fields = await _form_fields(page)
    owner = chosen_catalogue(page.curation, fields.get("catalogue"))
    return await _designer_post(page, db, grader, fields, owner, None)


@task_router.post("/tasks/{slug}/edit", dependencies=[CSRF])
async def update_task(
    page: DesignerPage, db: Db, grader: DesignerGrader, owner: CuratedOwner, slug: str
) -> Response:
    """Preview, edit rows, fill outputs, validate or save an existing task."""
    await owned_task(db, owner, slug)
    return await _designer_post(page, db, grader, await _form_fields(page), owner, slug)


async def _publish(
    page: CuratorPage, db: AsyncSession, owner: int, slug: str, published: bool
) -> Response:
    """Publish or unpublish, then back to the designer with a notice of what happened."""
    edit = f"/mod{task_address(owner, slug)}/edit"
    try:
        task = await set_published(db, slug, published, page.user.id, owner=owner)
    except TaskMissing as missing:
        raise HTTPException(404, MISSING) from missing
    except DesignerRefused as refused:
        flash(page.request, str(refused))
        raise Refusal(RedirectResponse(edit, status_code=303)) from refused
    state = "published: learners can see and solve it" if published else "unpublished"
    flash(page.request, f"{task.title} is {state}.")
    return RedirectResponse(edit, status_code=303)


@task_router.post("/tasks/{slug}/publish", dependencies=[CSRF])
async def publish(page: DesignerPage, db: Db, owner: CuratedOwner, slug: str) -> Response:
    """Let learners see and solve a task whose current version passed validation."""
    return await _publish(page, db, owner, slug, True)


@task_router.post("/tasks/{slug}/unpublish", dependencies=[CSRF])
async def unpublish(page: DesignerPage, db: Db, owner: CuratedOwner, slug: str) -> Response:
    """Hide a task from learners; its history and submissions stay."""
    return await _publish(page, db, owner, slug, False)


task_router.include_router(moderation_transfer.task_router)
for prefix in ("/mod", "/mod/s/{guild_id}"):
    router.include_router(task_router, prefix=prefix)
router.include_router(moderation_transfer.router)
