"""The task designer: moderators list, write, validate, save and publish tasks.

The form works with plain posts: every button posts the whole form under `action`, and the page
comes back with what was typed, plus the preview, the sandbox's report or the errors by field.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import CSRF, Db
from api.login_session import flash
from api.markdown import render_statement
from api.pages import Page, Refusal, UserPage
from api.routes import moderation_transfer
from api.routes.moderation_access import DesignerGrader, ModeratorPage
from core.content.schema import Difficulty, TaskFile
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
    designer_list,
    find_task,
    history,
    is_validated,
    save_task,
    set_published,
    status_of,
)
from core.grading import Grader
from sandbox import CompareMode, SandboxError

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
router.include_router(moderation_transfer.router)

SANDBOX_DOWN = "The sandbox could not run the programs: {}. Try again in a moment."


@router.get("/mod/tasks", response_class=HTMLResponse)
async def task_list(page: ModeratorPage, db: Db) -> HTMLResponse:
    """Every task with its status and version, the import form and a link to a new task."""
    return page.render("mod_tasks.html", tasks=await designer_list(db), problems=[])


@dataclass(slots=True)
class Designer:
    """One rendering of the designer form: what was typed and what the last action found."""

    draft: TaskDraft
    errors: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    report: ValidationReport | None = None
    filled: Filled | None = None


async def _render(
    page: Page, db: AsyncSession, designer: Designer, slug: str | None, status_code: int = 200
) -> HTMLResponse:
    """The designer page: a new task's, or an existing one's with its state and history."""
    task = await find_task(db, slug) if slug else None
    return page.render(
        "mod_task_form.html",
        status_code,
        designer=designer,
        draft=designer.draft,
        errors=designer.errors,
        general_error=designer.errors.get(GENERAL),
        preview=render_statement(designer.draft.statement) if designer.draft.statement else None,
        task=task,
        status=status_of(task) if task else None,
        validated=is_validated(task) if task else False,
        versions=await history(db, task) if task else [],
        form_action=f"/mod/tasks/{task.slug}/edit" if task else "/mod/tasks/new",
        difficulties=list(Difficulty),
        compare_modes=list(CompareMode),
    )


async def _answer(
    page: Page, db: AsyncSession, designer: Designer, slug: str | None, status_code: int = 200
) -> HTMLResponse:
    """The designer page after a button; raised as a refusal when the action failed."""
    response = await _render(page, db, designer, slug, status_code)
    if status_code >= 400:
        raise Refusal(response)
    return response


@router.get("/mod/tasks/new", response_class=HTMLResponse)
async def new_task(page: ModeratorPage, db: Db) -> HTMLResponse:
    """An empty designer form."""
    return await _render(page, db, Designer(TaskDraft()), None)


@router.get("/mod/tasks/{slug}/edit", response_class=HTMLResponse)
async def edit_task(page: ModeratorPage, db: Db, slug: str) -> HTMLResponse:
    """The designer form filled with the task's current version."""
    task = await find_task(db, slug)
    if task is None:
        raise HTTPException(404, "There is no task at this address.")
    draft = draft_of(await current_task_file(db, task))
    return await _render(page, db, Designer(draft), slug)


async def _form_draft(page: Page, slug: str | None) -> tuple[str, TaskDraft]:
    """The button pressed and the draft the form holds (an existing task keeps its slug)."""
    form = await page.request.form()
    fields = {key: value for key, value in form.multi_items() if isinstance(value, str)}
    draft = draft_from_form(fields)
    if slug is not None:
        draft.slug = slug
    return fields.get("action", "save"), draft


def _edit_rows(action: str, draft: TaskDraft) -> bool:
    """Add or remove a test or wrong-solution row; False when `action` is not a row edit."""
    kind, _, number = action.rpartition("-")
    rows: list[Any] = draft.tests if "test" in kind else draft.wrong_solutions
    if action == "add-test":
        draft.tests.append(DraftTest())
    elif action == "add-wrong":
        draft.wrong_solutions.append(DraftWrong())
    elif kind in ("remove-test", "remove-wrong") and number.isdigit():
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
    page: UserPage, db: AsyncSession, grader: Grader, designer: Designer, task: TaskFile, new: bool
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
    saved = await save_task(db, task, page.user.id, new=new, validated=True)
    designer.messages.append(
        f"Validation passed. Saved as version {saved.version}."
        if saved.changed
        else f"Validation passed. Version {saved.version} is unchanged and now validated."
    )
    return 200


async def _designer_post(
    page: UserPage, db: AsyncSession, grader: Grader, slug: str | None
) -> Response:
    """Handle any button of the designer form."""
    action, draft = await _form_draft(page, slug)
    designer = Designer(draft)
    if action == "preview" or _edit_rows(action, draft):
        return await _answer(page, db, designer, slug)
    if action == "fill":
        return await _answer(page, db, designer, slug, await _fill(grader, designer))
    task, designer.errors = task_of(draft)
    if task is None:
        designer.messages.append("Some fields need attention; nothing was saved.")
        return await _answer(page, db, designer, slug, 400)
    existing = await find_task(db, task.slug)
    if slug is None and existing is not None:
        designer.errors["slug"] = f"A task with the slug '{task.slug}' already exists."
        return await _answer(page, db, designer, slug, 400)
    try:
        if action == "validate" or changes_need_validation(existing):
            status_code = await _validated_save(page, db, grader, designer, task, slug is None)
            return await _answer(page, db, designer, task.slug, status_code)
        saved = await save_task(db, task, page.user.id, new=slug is None, validated=False)
    except DesignerRefused as refused:
        designer.errors["slug" if slug is None else GENERAL] = str(refused)
        return await _answer(page, db, designer, slug, 400)
    flash(
        page.request,
        f"Saved as version {saved.version}." if saved.changed else "No changes to save.",
    )
    return RedirectResponse(f"/mod/tasks/{task.slug}/edit", status_code=303)


@router.post("/mod/tasks/new", dependencies=[CSRF])
async def create_task(page: ModeratorPage, db: Db, grader: DesignerGrader) -> Response:
    """Preview, edit rows, fill outputs, validate or save a new task."""
    return await _designer_post(page, db, grader, None)


@router.post("/mod/tasks/{slug}/edit", dependencies=[CSRF])
async def update_task(page: ModeratorPage, db: Db, grader: DesignerGrader, slug: str) -> Response:
    """Preview, edit rows, fill outputs, validate or save an existing task."""
    if await find_task(db, slug) is None:
        raise HTTPException(404, "There is no task at this address.")
    return await _designer_post(page, db, grader, slug)


async def _publish(page: UserPage, db: AsyncSession, slug: str, published: bool) -> Response:
    """Publish or unpublish, then back to the designer with a notice of what happened."""
    try:
        task = await set_published(db, slug, published, page.user.id)
    except TaskMissing as missing:
        raise HTTPException(404, "There is no task at this address.") from missing
    except DesignerRefused as refused:
        flash(page.request, str(refused))
        raise Refusal(RedirectResponse(f"/mod/tasks/{slug}/edit", status_code=303)) from refused
    state = "published: learners can see and solve it" if published else "unpublished"
    flash(page.request, f"{task.title} is {state}.")
    return RedirectResponse(f"/mod/tasks/{slug}/edit", status_code=303)


@router.post("/mod/tasks/{slug}/publish", dependencies=[CSRF])
async def publish(page: ModeratorPage, db: Db, slug: str) -> Response:
    """Let learners see and solve a task whose current version passed validation."""
    return await _publish(page, db, slug, True)


@router.post("/mod/tasks/{slug}/unpublish", dependencies=[CSRF])
async def unpublish(page: ModeratorPage, db: Db, slug: str) -> Response:
    """Hide a task from learners; its history and submissions stay."""
    return await _publish(page, db, slug, False)
