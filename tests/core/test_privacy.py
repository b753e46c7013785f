"""A learner's data export: complete, yet never a hidden test's data."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.db import session_scope
from core.models import (
    HintReveal,
    SolutionVote,
    Solve,
    StreakReminder,
    Submission,
    User,
    UserAchievement,
    VoteKind,
)
from core.privacy import delete_learner, export_learner
from core.submissions.service import Source, SubmissionService
from tests.support.catalogue import GUILD_B, add_task
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import LEAK, SECRETS, ScriptedGrader, load_secret_task
from tests.support.learners import ACCEPT, GUILD, make_learner, solve
from tests.support.reminders import MONDAY, SUNDAY, streaking_learner
from tests.support.solutions import add_person, add_solution


async def test_the_export_never_carries_a_hidden_tests_data(
    sessions: Sessions, clock: Clock, tmp_path: Path
) -> None:
    await load_secret_task(sessions, tmp_path)
    user = await make_learner(sessions, 1)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    await service.submit(user, "secret-echo", LEAK, Source.DISCORD)
    async with sessions() as session:
        exported = await export_learner(session, user)
    assert exported is not None
    (submission,) = exported["submissions"]
    assert submission["code"] == LEAK
    assert submission["message"] == "runtime error on a hidden test"
    visible, hidden = submission["results"]
    assert (visible["input"], visible["expected"], visible["actual"]) == ("a\n", "a\n", "a\n")
    assert set(hidden) == {"index", "passed", "hidden", "verdict", "time_ms"}
    text = json.dumps(exported)
    assert not [secret for secret in SECRETS if secret in text]


@pytest.mark.usefixtures("content")
async def test_export_and_delete(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    other = await make_learner(sessions, 2)
    await solve(sessions, clock, user, "easy-one")
    await solve(sessions, clock, other, "easy-one")
    async with sessions() as session:
        exported = await export_learner(session, user)
    assert exported is not None
    json.dumps(exported)
    assert exported["account"]["discord_id"] == 1
    assert "password_hash" not in exported["account"]
    assert [s["task"] for s in exported["submissions"]] == ["easy-one"]
    assert exported["submissions"][0]["code"] == ACCEPT
    assert exported["servers"] == [str(GUILD)]
    assert len(exported["achievements"]) == 1
    async with session_scope(sessions) as session:
        assert await delete_learner(session, user)
    async with session_scope(sessions) as session:
        assert not await delete_learner(session, user)
    async with sessions() as session:
        for model in (Submission, Solve, UserAchievement):
            owners = set(await session.scalars(select(model.user_id)))
            assert owners == {other}
        assert await session.get(User, user) is None
        assert await export_learner(session, user) is None


async def test_the_export_carries_shared_solutions_and_votes_which_go_with_the_learner(
    sessions: Sessions,
) -> None:
    task = await add_task(sessions, "echo-twice")
    voter, author = await add_person(sessions, "voter"), await add_person(sessions, "author")
    await add_solution(sessions, voter, task, "print('mine')\n", shared=False)
    theirs = await add_solution(sessions, author, task, "print('theirs')\n")
    async with session_scope(sessions) as session:
        session.add(SolutionVote(user_id=voter, submission_id=theirs, kind=VoteKind.CLEVER))
    async with sessions() as session:
        exported = await export_learner(session, voter)
        shared = await export_learner(session, author)
    assert exported is not None
    assert shared is not None
    assert [(s["shared"], s["share_hidden_at"]) for s in exported["submissions"]] == [(False, None)]
    assert [s["shared"] for s in shared["submissions"]] == [True]
    assert [(v["submission"], v["kind"]) for v in exported["solution_votes"]] == [
        (theirs, VoteKind.CLEVER)
    ]
    json.dumps(exported)
    async with session_scope(sessions) as session:
        assert await delete_learner(session, voter)
    async with sessions() as session:
        assert await session.scalar(select(SolutionVote.user_id)) is None


@pytest.mark.usefixtures("content")
async def test_the_export_tells_a_servers_own_points_and_tasks(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    await add_task(sessions, "b-only", GUILD_B)
    await solve(sessions, clock, user, "easy-one")
    await solve(sessions, clock, user, "b-only", guild=GUILD_B)
    async with sessions() as session:
        exported = await export_learner(session, user)
    assert exported is not None
    assert exported["servers"] == [str(GUILD), str(GUILD_B)]
    assert exported["server_points"] == {str(GUILD): 0, str(GUILD_B): 10}
    assert [(s["task"], s["server"]) for s in exported["solves"]] == [
        ("easy-one", None),
        ("b-only", str(GUILD_B)),
    ]


async def test_the_export_carries_the_reminder_settings_and_the_days_reminded(
    sessions: Sessions,
) -> None:
    user = await streaking_learner(sessions, 1, GUILD, reminder_time=time(7, 45))
    async with session_scope(sessions) as session:
        for day, sent in ((MONDAY, True), (SUNDAY, True), (MONDAY + timedelta(days=1), False)):
            session.add(
                StreakReminder(user_id=user, day=day, sent_at=datetime.now(UTC) if sent else None)
            )
    async with sessions() as session:
        exported = await export_learner(session, user)
    assert exported is not None
    assert (exported["account"]["reminders"], exported["account"]["reminder_time"]) == (
        True,
        "07:45:00",
    )
    assert exported["reminded_days"] == [SUNDAY.isoformat(), MONDAY.isoformat()]


async def test_the_export_tells_how_many_hints_were_revealed(sessions: Sessions) -> None:
    user = await make_learner(sessions, 1)
    task_id = await add_task(sessions, "hinted")
    async with session_scope(sessions) as session:
        session.add(HintReveal(user_id=user, task_id=task_id, revealed=2))
    async with sessions() as session:
        exported = await export_learner(session, user)
    assert exported is not None
    assert [(h["task"], h["revealed"]) for h in exported["hints_revealed"]] == [("hinted", 2)]
