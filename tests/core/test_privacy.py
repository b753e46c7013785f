"""A learner's data export: complete, yet never a hidden test's data."""

from __future__ import annotations

import json
from pathlib import Path

from core.privacy import export_learner
from core.submissions.service import Source, SubmissionService
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import LEAK, SECRETS, ScriptedGrader, load_secret_task
from tests.support.learners import make_learner


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
