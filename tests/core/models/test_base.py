"""Enum columns load as their enums and keep storing the same strings as before."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import StatementError

from core.content.schema import Difficulty
from core.db import session_scope
from core.models import Submission, Task
from core.submissions.service import Source
from core.verdicts import SubmissionVerdict
from sandbox import CompareMode, Verdict
from tests.support.databases import Sessions
from tests.support.learners import make_learner


def _task(slug: str, difficulty: Difficulty, mode: CompareMode) -> Task:
    return Task(
        slug=slug,
        title=slug,
        difficulty=difficulty,
        points=difficulty.default_points,
        statement="Echo.",
        template="",
        solution="print(input())",
        wrong_solutions=[],
        time_limit_s=1.0,
        memory_mb=64,
        compare_mode=mode,
        content_hash="0" * 64,
    )


async def _add_submissions(
    sessions: Sessions, verdicts: list[SubmissionVerdict | None]
) -> tuple[int, int]:
    """A learner, a task and one submission of it per verdict (None: the column's default);
    the learner's and the task's ids."""
    learner = await make_learner(sessions, 1)
    async with session_scope(sessions) as session:
        task = _task("echo", Difficulty.EASY, CompareMode.EXACT)
        session.add(task)
        await session.flush()
        for verdict in verdicts:
            submission = Submission(user_id=learner, task_id=task.id, source=Source.WEB, code="")
            if verdict is not None:
                submission.verdict = verdict
            session.add(submission)
        return learner, task.id


def test_a_submission_verdict_is_pending_or_a_sandbox_verdict() -> None:
    assert [v.value for v in SubmissionVerdict] == ["pending", *(v.value for v in Verdict)]
    assert [SubmissionVerdict.of(v).value for v in Verdict] == [v.value for v in Verdict]


async def test_difficulty_and_compare_mode_round_trip(sessions: Sessions) -> None:
    difficulties = list(Difficulty)
    pairs = [(difficulties[i % len(difficulties)], mode) for i, mode in enumerate(CompareMode)]
    async with session_scope(sessions) as session:
        session.add_all(_task(f"task-{i}", d, m) for i, (d, m) in enumerate(pairs))
    async with sessions() as session:
        loaded = (await session.scalars(select(Task).order_by(Task.id))).all()
        raw = (await session.execute(text("SELECT difficulty, compare_mode FROM tasks"))).all()
    assert [(type(t.difficulty), type(t.compare_mode)) for t in loaded] == [
        (Difficulty, CompareMode)
    ] * len(pairs)
    assert [(t.difficulty, t.compare_mode) for t in loaded] == pairs
    assert sorted(tuple(row) for row in raw) == sorted((d.value, m.value) for d, m in pairs)
    assert {type(value) for row in raw for value in row} == {str}


async def test_submission_verdicts_round_trip(sessions: Sessions) -> None:
    await _add_submissions(sessions, [*SubmissionVerdict, None])
    async with sessions() as session:
        loaded = list(await session.scalars(select(Submission.verdict).order_by(Submission.id)))
        raw = list(await session.scalars(text("SELECT verdict FROM submissions ORDER BY id")))
    assert loaded == [*SubmissionVerdict, SubmissionVerdict.PENDING]
    assert {type(verdict) for verdict in loaded} == {SubmissionVerdict}
    assert raw == [*(v.value for v in SubmissionVerdict), "pending"]
    assert {type(verdict) for verdict in raw} == {str}


async def test_an_unknown_verdict_is_refused(sessions: Sessions) -> None:
    learner, task_id = await _add_submissions(sessions, [])
    with pytest.raises(StatementError, match="'graded'"):
        async with session_scope(sessions) as session:
            await session.execute(
                insert(Submission).values(
                    user_id=learner, task_id=task_id, source=Source.WEB, code="", verdict="graded"
                )
            )
