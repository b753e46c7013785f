"""Submitting a solution from a task page: `/tasks/<slug>/submit` and a server's
`/s/<server>/tasks/<slug>/submit`.

The code (the form's text, or an uploaded file) goes through the same `SubmissionService` and
cooldown as on Discord; the answer is the task page again with the verdict: the per-test
detail, where the first failing visible test's output differs, the points and the streak.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import CSRF, Db, LoginRequired, PageDep, settle_before_waiting
from api.pages import Page
from api.params import GuildId, TaskSlug
from api.routes.servers import member_shelf
from api.routes.tasks import GLOBAL_SHELF, Shelf, render_task_page
from api.solving import RETRY_AFTER_S, Attempt
from core.cooldown import submitter_key
from core.submissions.service import Source, SubmissionRejected

router = APIRouter(include_in_schema=False)

#: the most of an uploaded file read into memory: more than any code the service accepts, so
#: that a larger file is still refused as too large, without holding all of it
UPLOAD_READ_LIMIT = 1024 * 1024


@dataclass(frozen=True, slots=True)
class SentCode:
    """What the code form sent: the editor's text, or a file's bytes when one was chosen."""

    text: str
    upload: bytes | None
    shared: bool

    @property
    def code(self) -> str | bytes:
        """The code to grade: the file when one was sent, else the text."""
        return self.upload if self.upload is not None else self.text

    @property
    def shown(self) -> str | None:
        """The code to show back in the form; None for a file that is not UTF-8 text."""
        if self.upload is None:
            return self.text
        try:
            return self.upload.decode("utf-8")
        except UnicodeDecodeError:
            return None


async def sent_code(
    code: Annotated[str, Form()] = "",
    upload: Annotated[UploadFile | None, File()] = None,
    shared: Annotated[bool, Form()] = False,
) -> SentCode:
    """The code form's fields; a file input left empty sends no file."""
    sent_file = None
    if upload is not None and upload.filename:
        sent_file = await upload.read(UPLOAD_READ_LIMIT + 1)
    return SentCode(code, sent_file, shared)


SentCodeDep = Annotated[SentCode, Depends(sent_code)]


async def solve(
    page: Page, db: AsyncSession, shelf: Shelf, slug: str, sent: SentCode
) -> HTMLResponse:
    """Grade the learner's code for task `slug` of `shelf` and show the task with the verdict.

    Refused before grading (cooling down, code too large, empty or not UTF-8, no such task
    here): the task page says why, the code kept in the form. Not graded (the grader busy or
    down): a 503 asking to try again; the submission was kept and counts for nothing.
    """
    learner = page.user
    if learner is None:
        raise LoginRequired(f"{shelf.base}/{slug}")
    key = submitter_key(learner.discord_id, learner.id)
    await settle_before_waiting(db)  # grading takes seconds and writes on its own
    site = page.site
    wait = await site.cooldown.acquire(key)
    if wait:
        seconds = math.ceil(wait)
        refused = Attempt(
            sent.shown, sent.shared, problem=f"Not so fast: you can submit again in {seconds} s."
        )
        answer = await render_task_page(page, db, shelf, slug, refused, 429)
        answer.headers["Retry-After"] = str(seconds)
        return answer
    guild_id = shelf.server.guild_id if shelf.server else None
    try:
        outcome = await site.submissions.submit(
            learner.id, slug, sent.code, Source.WEB, guild_id, shared=sent.shared
        )
    except SubmissionRejected as refusal:
        await site.cooldown.release(key)
        attempt = Attempt(sent.shown, sent.shared, problem=str(refusal))
        return await render_task_page(page, db, shelf, slug, attempt, 422)
    if outcome.busy:
        await site.cooldown.release(key)
    attempt = Attempt(sent.shown, sent.shared, outcome=outcome)
    if attempt.graded:
        return await render_task_page(page, db, shelf, slug, attempt)
    answer = await render_task_page(page, db, shelf, slug, attempt, 503)
    answer.headers["Retry-After"] = str(RETRY_AFTER_S)
    return answer


@router.post("/tasks/{slug}/submit", response_class=HTMLResponse, dependencies=[CSRF])
async def submit_task(page: PageDep, db: Db, slug: TaskSlug, sent: SentCodeDep) -> HTMLResponse:
    """Grade a solution of a shared catalogue's task."""
    return await solve(page, db, GLOBAL_SHELF, slug, sent)


@router.post("/s/{guild_id}/tasks/{slug}/submit", response_class=HTMLResponse, dependencies=[CSRF])
async def submit_server_task(
    page: PageDep, db: Db, guild_id: GuildId, slug: TaskSlug, sent: SentCodeDep
) -> HTMLResponse:
    """Grade a solution of a task as a server's member sees it; a server's own task counts on
    that server's boards."""
    return await solve(page, db, await member_shelf(page, db, guild_id), slug, sent)
