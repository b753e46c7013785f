"""Queue mode's periodic sweep: submissions pending longer than anyone waits become
interrupted; fresh ones are left to the graders."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from core.grading import sandbox_config
from core.models import Submission
from core.settings import Settings
from core.submissions import sweep as sweep_module
from core.submissions.ledger import fail_interrupted
from core.submissions.service import Source, SubmissionService
from core.submissions.sweep import PendingSweeper, pending_max_age
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import make_learner

with_content = pytest.mark.usefixtures("content")

MAX_AGE = timedelta(minutes=5)
EVERY = timedelta(milliseconds=10)


async def _left_pending(sessions: Sessions, at: datetime) -> int:
    """A submission made `at` whose grading never came back (its process died); its id."""
    user = await make_learner(sessions, 1)
    clock = Clock()
    clock.now = at
    with pytest.raises(RuntimeError):
        await SubmissionService(sessions, ScriptedGrader(), clock=clock).submit(
            user, "easy-one", "# crash\n", Source.WEB
        )
    async with sessions() as session:
        return int(await session.scalar(select(func.max(Submission.id))) or 0)


async def _verdict(sessions: Sessions, submission_id: int) -> str | None:
    async with sessions() as session:
        return await session.scalar(
            select(Submission.verdict).where(Submission.id == submission_id)
        )


async def _until_swept(sessions: Sessions, submission_id: int) -> None:
    """Return once the submission is no longer pending; fail after some 5 s."""
    for _ in range(500):
        if await _verdict(sessions, submission_id) != "pending":
            return
        await asyncio.sleep(EVERY.total_seconds())
    raise AssertionError(f"submission {submission_id} was not swept")


@with_content
async def test_a_pass_marks_only_what_is_pending_longer_than_the_max_age(
    sessions: Sessions, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    old = await _left_pending(sessions, clock.now - timedelta(minutes=6))
    fresh = await _left_pending(sessions, clock.now - timedelta(minutes=2))
    sweeper = PendingSweeper(sessions, MAX_AGE, EVERY, clock)

    with caplog.at_level(logging.WARNING, "core.submissions.sweep"):
        assert await sweeper.sweep() == [old]
    assert (await _verdict(sessions, old), await _verdict(sessions, fresh)) == (
        "sandbox_error",
        "pending",
    )
    assert f"marked as interrupted: {old}" in caplog.text

    clock.now += timedelta(minutes=4)
    assert await sweeper.sweep() == [fresh]
    assert await sweeper.sweep() == []


@with_content
async def test_the_background_sweep_runs_until_stopped(sessions: Sessions, clock: Clock) -> None:
    sweeper = PendingSweeper(sessions, MAX_AGE, EVERY, clock)
    sweeper.start()
    try:
        swept = await _left_pending(sessions, clock.now - MAX_AGE * 2)
        await _until_swept(sessions, swept)
    finally:
        await sweeper.stop()
    left = await _left_pending(sessions, clock.now - MAX_AGE * 2)
    await asyncio.sleep(EVERY.total_seconds() * 5)
    assert await _verdict(sessions, left) == "pending"
    await sweeper.stop()  # stopping twice is harmless


@with_content
async def test_a_failed_pass_is_logged_and_the_next_one_sweeps(
    sessions: Sessions,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    failures = iter([OperationalError("SELECT", {}, ConnectionRefusedError("db is down"))])

    async def flaky(session: AsyncSession, older_than: Any = None) -> list[Submission]:
        for failure in failures:
            raise failure
        return await fail_interrupted(session, older_than)

    monkeypatch.setattr(sweep_module, "fail_interrupted", flaky)
    left = await _left_pending(sessions, clock.now - MAX_AGE * 2)
    sweeper = PendingSweeper(sessions, MAX_AGE, EVERY, clock)
    with caplog.at_level(logging.WARNING, "core.submissions.sweep"):
        sweeper.start()
        try:
            await _until_swept(sessions, left)
        finally:
            await sweeper.stop()
    assert "sweeping interrupted gradings failed: (builtins.ConnectionRefusedError)" in caplog.text


@with_content
async def test_a_deadlocked_pass_runs_again_at_once(
    sessions: Sessions, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    deadlock = OperationalError("UPDATE", {}, Exception(1213, "Deadlock found"))
    failures = iter([deadlock])

    async def deadlocked_once(session: AsyncSession, older_than: Any = None) -> list[Submission]:
        swept = await fail_interrupted(session, older_than)
        for failure in failures:
            raise failure  # after the changes: the rollback must undo them
        return swept

    monkeypatch.setattr(sweep_module, "fail_interrupted", deadlocked_once)
    left = await _left_pending(sessions, clock.now - MAX_AGE * 2)
    assert await PendingSweeper(sessions, MAX_AGE, EVERY, clock).sweep() == [left]


def test_the_max_age_outlasts_the_wait_for_a_queued_grading() -> None:
    settings = Settings(_env_file=None, queue_job_expiry_s=600)
    longest_run = timedelta(seconds=sandbox_config(settings).longest_run_s)
    assert pending_max_age(settings) > timedelta(seconds=600) + longest_run
