"""The submission flow on a real database: verdicts, awards, masking, failures and races."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from core.achievements import stats_for
from core.content.files import read_content
from core.content.loader import load_content
from core.daily import daily_for
from core.db import session_scope
from core.logging_config import configure_logging
from core.models import (
    Achievement,
    DailyPost,
    GuildSettings,
    Solve,
    Submission,
    Task,
    User,
    UserAchievement,
)
from core.submissions.service import Source, SubmissionRejected, SubmissionService
from sandbox import Verdict
from tests.support.clocks import Clock
from tests.support.content_factories import achievement_document, task_document, write_json
from tests.support.databases import Sessions
from tests.support.fake_grader import (
    LEAK,
    SECRETS,
    ScriptedGrader,
    load_secret_task,
)
from tests.support.learners import GUILD, make_learner

pytestmark = pytest.mark.usefixtures("content")

ACCEPT = "# accept\nprint(input())\n"
WRONG = "# wrong\nprint(1)\n"


def _service(
    sessions: Sessions, clock: Clock, grader: ScriptedGrader | None = None
) -> SubmissionService:
    return SubmissionService(sessions, grader or ScriptedGrader(), clock=clock)


async def _user(sessions: Sessions, user_id: int) -> User:
    async with sessions() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return user


async def _count(sessions: Sessions, model: type[object]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "empty"),
        ("   \n\t\n", "empty"),
        (b"print('caf\xe9')", "not valid UTF-8"),
        ("x = 1\n" * 20_000, "limit is 64 KB"),
    ],
)
async def test_unusable_code_is_rejected_and_nothing_recorded(
    sessions: Sessions, clock: Clock, code: str | bytes, reason: str
) -> None:
    user = await make_learner(sessions, 1)
    grader = ScriptedGrader()
    with pytest.raises(SubmissionRejected, match=reason):
        await _service(sessions, clock, grader).submit(user, "easy-one", code, Source.DISCORD)
    assert grader.calls == 0
    assert await _count(sessions, Submission) == 0


@pytest.mark.parametrize("slug", ["secret", "no-such-task"])
async def test_unknown_and_unpublished_tasks_are_rejected(
    sessions: Sessions, clock: Clock, slug: str
) -> None:
    user = await make_learner(sessions, 1)
    with pytest.raises(SubmissionRejected, match=f"no published task '{slug}'"):
        await _service(sessions, clock).submit(user, slug, ACCEPT, Source.WEB)
    assert await _count(sessions, Submission) == 0


async def test_submission_is_pending_while_graded(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    seen: list[str] = []

    async def look() -> None:
        async with sessions() as session:
            seen.extend(await session.scalars(select(Submission.verdict)))

    await _service(sessions, clock, ScriptedGrader(look)).submit(
        user, "easy-one", ACCEPT, Source.DISCORD
    )
    assert seen == ["pending"]


async def test_a_crash_mid_grade_leaves_the_pending_record(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    with pytest.raises(RuntimeError, match="power cut"):
        await _service(sessions, clock).submit(user, "easy-one", "# crash\n", Source.DISCORD)
    async with sessions() as session:
        assert list(await session.scalars(select(Submission.verdict))) == ["pending"]


async def test_wrong_answer_awards_nothing_and_keeps_results(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    outcome = await _service(sessions, clock).submit(user, "easy-one", WRONG, Source.DISCORD)
    assert outcome.verdict is Verdict.WRONG_ANSWER
    assert (outcome.points_gained, outcome.streak_after, outcome.achievements) == (0, 0, ())
    async with sessions() as session:
        submission = await session.scalar(select(Submission))
    assert submission is not None
    assert submission.verdict == "wrong_answer"
    assert submission.results is not None
    assert submission.results[0] == {
        "index": 0,
        "passed": False,
        "hidden": False,
        "verdict": "wrong_answer",
        "time_ms": 1.5,
        "input": "a\n",
        "expected": "a\na\n",
        "actual": "nope\n",
        "stderr": "",
    }
    assert submission.results[1]["hidden"] is True
    assert submission.finished_at is not None
    assert await _count(sessions, Solve) == 0


async def test_first_accepted_awards_points_streak_and_achievements(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    async with session_scope(sessions) as session:
        session.add(GuildSettings(guild_id=GUILD, achievement_roles={"first-solve": 777}))
    outcome = await _service(sessions, clock).submit(
        user, "hard-one", ACCEPT, Source.DISCORD, GUILD
    )
    assert outcome.accepted
    assert outcome.first_solve
    assert (outcome.points_gained, outcome.total_points) == (40, 40)
    assert (outcome.streak_before, outcome.streak_after) == (0, 1)
    unlocked = {a.slug: a for a in outcome.achievements}
    assert set(unlocked) == {"first-solve", "hard-hitter"}
    assert [(g.guild_id, g.role_id) for g in unlocked["first-solve"].grants] == [(GUILD, 777)]
    stored = await _user(sessions, user)
    assert (stored.points, stored.current_streak, stored.best_streak) == (40, 1, 1)
    assert stored.last_active_day == date(2026, 5, 4)
    assert await _count(sessions, UserAchievement) == 2


async def test_an_unmapped_achievement_grants_no_role(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    outcome = await _service(sessions, clock).submit(
        user, "easy-one", ACCEPT, Source.DISCORD, GUILD
    )
    (first,) = outcome.achievements
    assert first.slug == "first-solve"  # its default role name, Solver, is never granted by name
    assert first.grants == ()


async def test_hidden_tests_are_masked_in_the_outcome(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    outcome = await _service(sessions, clock).submit(user, "easy-one", ACCEPT, Source.WEB)
    visible, hidden = outcome.tests
    assert (visible.input, visible.expected, visible.actual) == ("a\n", "a\na\n", "a\na\n")
    assert hidden.hidden
    assert (hidden.input, hidden.expected, hidden.actual, hidden.stderr) == (None,) * 4
    assert hidden.passed


async def test_hidden_tests_leave_no_trace_in_the_stored_submission(
    sessions: Sessions, clock: Clock, tmp_path: Path
) -> None:
    await load_secret_task(sessions, tmp_path / "secret")
    user = await make_learner(sessions, 1)
    outcome = await _service(sessions, clock).submit(user, "secret-echo", LEAK, Source.DISCORD)
    assert outcome.verdict is Verdict.RUNTIME_ERROR
    assert outcome.message == "runtime error on a hidden test"
    visible, hidden = outcome.tests
    assert (visible.input, visible.expected, visible.actual) == ("a\n", "a\n", "a\n")
    assert (hidden.input, hidden.expected, hidden.actual, hidden.stderr) == (None,) * 4
    async with sessions() as session:
        submission = await session.scalar(select(Submission))
    assert submission is not None
    assert submission.results is not None
    assert submission.results[0]["input"] == "a\n"
    assert submission.results[1] == {
        "index": 1,
        "passed": False,
        "hidden": True,
        "verdict": "runtime_error",
        "time_ms": 1.5,
    }
    assert submission.message == "runtime error on a hidden test"
    stored = json.dumps([submission.results, submission.message, repr(outcome)])
    assert not [secret for secret in SECRETS if secret in stored]


async def test_solving_again_awards_nothing_more(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    service = _service(sessions, clock)
    await service.submit(user, "easy-one", WRONG, Source.DISCORD)
    first = await service.submit(user, "easy-one", ACCEPT, Source.DISCORD)
    again = await service.submit(user, "easy-one", ACCEPT, Source.DISCORD)
    assert (first.points_gained, again.points_gained, again.first_solve) == (10, 0, False)
    assert (await _user(sessions, user)).points == 10
    async with sessions() as session:
        solve = await session.scalar(select(Solve))
    assert solve is not None
    assert solve.first_try is False


async def test_first_try_is_recorded(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    await _service(sessions, clock).submit(user, "easy-one", ACCEPT, Source.DISCORD)
    async with sessions() as session:
        assert await session.scalar(select(Solve.first_try)) is True


async def test_daily_challenge_carries_a_bonus(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    async with session_scope(sessions) as session:
        session.add(GuildSettings(guild_id=GUILD, daily_bonus=7))
        await session.flush()
        post = await daily_for(session, GUILD, date(2026, 5, 4))
        daily_slug = await session.scalar(select(Task.slug).where(Task.id == post.task_id))
    assert daily_slug is not None
    outcome = await _service(sessions, clock).submit(user, daily_slug, ACCEPT, Source.WEB)
    assert outcome.daily_bonus == 7
    assert outcome.total_points == outcome.points_gained + 7
    async with sessions() as session:
        assert await session.scalar(select(Solve.daily)) is True


@pytest.mark.parametrize("source", [Source.DISCORD, Source.WEB])
@pytest.mark.parametrize(
    ("hour", "zone", "daily_on", "bonus"),
    [
        (12, "Pacific/Kiritimati", date(2026, 5, 5), 7),  # UTC+14: already the 5th there
        (12, "Pacific/Kiritimati", date(2026, 5, 4), 0),
        (5, "Pacific/Pago_Pago", date(2026, 5, 3), 7),  # UTC-11: still the 3rd there
        (5, "Pacific/Pago_Pago", date(2026, 5, 4), 0),
        (12, "UTC", date(2026, 5, 4), 7),
        (12, "UTC", date(2026, 5, 5), 0),
    ],
)
async def test_daily_bonus_follows_the_servers_local_day(
    sessions: Sessions,
    clock: Clock,
    source: Source,
    hour: int,
    zone: str,
    daily_on: date,
    bonus: int,
) -> None:
    user = await make_learner(sessions, 1)
    clock.now = clock.now.replace(hour=hour)
    async with session_scope(sessions) as session:
        session.add(GuildSettings(guild_id=GUILD, daily_bonus=7, timezone=zone))
        task_id = await session.scalar(select(Task.id).where(Task.slug == "easy-two"))
        assert task_id is not None
        session.add(DailyPost(guild_id=GUILD, day=daily_on, task_id=task_id))
    guild = GUILD if source is Source.DISCORD else None
    outcome = await _service(sessions, clock).submit(user, "easy-two", ACCEPT, source, guild)
    assert outcome.daily_bonus == bonus
    assert outcome.total_points == outcome.points_gained + bonus
    async with sessions() as session:
        assert await session.scalar(select(Solve.daily)) is bool(bonus)


async def test_streak_grows_day_by_day(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    service = _service(sessions, clock)
    for day, slug in enumerate(["easy-one", "easy-two"]):
        clock.now += timedelta(days=1 if day else 0)
        outcome = await service.submit(user, slug, ACCEPT, Source.DISCORD)
        assert outcome.streak_after == day + 1
    clock.now += timedelta(days=3)
    outcome = await service.submit(user, "hard-one", ACCEPT, Source.DISCORD)
    assert (outcome.streak_before, outcome.streak_after) == (0, 1)
    assert (await _user(sessions, user)).best_streak == 2


async def test_a_streak_of_first_solves_unlocks(
    sessions: Sessions, clock: Clock, tmp_path: Path
) -> None:
    folder = tmp_path / "streaks"
    write_json(
        folder / "achievements" / "two-days.json",
        achievement_document("two-days", condition={"streak": 2}),
    )
    async with session_scope(sessions) as session:
        await load_content(session, read_content(folder))
    user = await make_learner(sessions, 1)
    service = _service(sessions, clock)
    first = await service.submit(user, "easy-one", ACCEPT, Source.DISCORD)
    assert [a.slug for a in first.achievements] == ["first-solve"]
    again = await service.submit(user, "easy-one", ACCEPT, Source.DISCORD)  # same day
    assert (again.first_solve, again.streak_after, again.achievements) == (False, 1, ())
    clock.now += timedelta(days=1)
    next_day = await service.submit(user, "easy-two", ACCEPT, Source.DISCORD)
    assert (next_day.first_solve, next_day.streak_after) == (True, 2)
    assert [a.slug for a in next_day.achievements] == ["two-days"]


async def test_resubmitting_a_solved_task_does_not_keep_a_streak(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    service = _service(sessions, clock)
    await service.submit(user, "easy-one", ACCEPT, Source.DISCORD)
    clock.now += timedelta(days=1)
    pasted = await service.submit(user, "easy-one", ACCEPT, Source.DISCORD)
    assert (pasted.accepted, pasted.first_solve) == (True, False)
    assert (pasted.streak_before, pasted.streak_after) == (1, 1)
    clock.now += timedelta(days=1)
    pasted = await service.submit(user, "easy-one", ACCEPT, Source.DISCORD)
    assert (pasted.streak_before, pasted.streak_after) == (0, 0)
    learner = await _user(sessions, user)
    assert (learner.current_streak, learner.best_streak) == (1, 1)


async def test_the_daily_challenge_keeps_a_streak_even_when_solved_before(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    service = _service(sessions, clock)
    await service.submit(user, "easy-two", ACCEPT, Source.DISCORD, GUILD)
    clock.now += timedelta(days=1)
    async with session_scope(sessions) as session:
        task_id = await session.scalar(select(Task.id).where(Task.slug == "easy-two"))
        assert task_id is not None
        session.add(DailyPost(guild_id=GUILD, day=clock.now.date(), task_id=task_id))
    daily = await service.submit(user, "easy-two", ACCEPT, Source.DISCORD, GUILD)
    assert (daily.first_solve, daily.daily_bonus, daily.points_gained) == (False, 0, 0)
    assert (daily.streak_before, daily.streak_after) == (1, 2)


async def _post_daily(sessions: Sessions, slug: str, day: date, bonus: int = 5) -> None:
    """Make `slug` the server's daily challenge of `day`, with a daily-challenge achievement."""
    async with session_scope(sessions) as session:
        if await session.get(GuildSettings, GUILD) is None:
            session.add(GuildSettings(guild_id=GUILD, daily_bonus=bonus))
        task_id = await session.scalar(select(Task.id).where(Task.slug == slug))
        assert task_id is not None
        session.add(DailyPost(guild_id=GUILD, day=day, task_id=task_id))
        if await session.scalar(select(Achievement.id).where(Achievement.slug == "daily-one")):
            return
        session.add(
            Achievement(
                slug="daily-one",
                name="Daily Dose",
                description="Solve a daily challenge on its day.",
                emoji="☕",
                condition={"daily": 1},
                content_hash="daily-one",
            )
        )


async def test_working_ahead_keeps_the_daily_credit_but_not_the_points_twice(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    service = _service(sessions, clock)
    ahead = await service.submit(user, "easy-two", ACCEPT, Source.DISCORD, GUILD)
    clock.now += timedelta(days=1)
    await _post_daily(sessions, "easy-two", clock.now.date())
    daily = await service.submit(user, "easy-two", ACCEPT, Source.DISCORD, GUILD)
    assert (daily.first_solve, daily.points_gained, daily.daily_bonus) == (False, 0, 0)
    assert [a.slug for a in daily.achievements] == ["daily-one"]
    assert (await _user(sessions, user)).points == ahead.total_points
    async with sessions() as session:
        assert list(await session.scalars(select(Solve.daily))) == [True]
        assert (await stats_for(session, [user]))[user].daily == 1
    again = await service.submit(user, "easy-two", ACCEPT, Source.DISCORD, GUILD)
    assert (again.points_gained, again.achievements) == (0, ())


async def test_a_daily_challenge_counts_even_where_its_bonus_is_zero(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    await _post_daily(sessions, "easy-one", clock.now.date(), bonus=0)
    outcome = await _service(sessions, clock).submit(user, "easy-one", ACCEPT, Source.WEB, GUILD)
    assert (outcome.first_solve, outcome.daily_bonus) == (True, 0)
    assert "daily-one" in [a.slug for a in outcome.achievements]
    async with sessions() as session:
        assert await session.scalar(select(Solve.daily)) is True


async def test_solving_again_on_another_day_earns_no_daily_credit(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    service = _service(sessions, clock)
    await _post_daily(sessions, "easy-two", clock.now.date() - timedelta(days=2))
    await service.submit(user, "easy-two", ACCEPT, Source.DISCORD, GUILD)
    again = await service.submit(user, "easy-two", ACCEPT, Source.DISCORD, GUILD)
    assert again.achievements == ()
    async with sessions() as session:
        assert await session.scalar(select(Solve.daily)) is False


@pytest.mark.parametrize(("command", "busy"), [("# busy", True), ("# down", False)])
async def test_sandbox_trouble_is_recorded_not_blamed(
    sessions: Sessions, clock: Clock, command: str, busy: bool
) -> None:
    user = await make_learner(sessions, 1)
    outcome = await _service(sessions, clock).submit(user, "easy-one", f"{command}\n", Source.WEB)
    assert outcome.verdict is Verdict.SANDBOX_ERROR
    assert outcome.busy is busy
    assert outcome.message is not None
    assert "try again" in outcome.message
    async with sessions() as session:
        assert list(await session.scalars(select(Submission.verdict))) == ["sandbox_error"]
    assert (await _user(sessions, user)).points == 0


@pytest.mark.parametrize("guild", [None, GUILD], ids=["dm", "server"])
async def test_racing_accepted_submissions_award_once(
    sessions: Sessions, clock: Clock, guild: int | None
) -> None:
    user = await make_learner(sessions, 1)
    async with session_scope(sessions) as session:
        session.add(GuildSettings(guild_id=GUILD, timezone="Europe/Berlin"))
    service = _service(sessions, clock)
    outcomes = await asyncio.gather(
        *(service.submit(user, "hard-one", ACCEPT, Source.DISCORD, guild) for _ in range(20))
    )
    assert all(o.accepted for o in outcomes)
    assert sum(o.first_solve for o in outcomes) == 1
    assert (await _user(sessions, user)).points == 40
    assert await _count(sessions, Solve) == 1
    assert await _count(sessions, UserAchievement) == 2


async def test_twenty_learners_at_once_all_get_theirs(sessions: Sessions, clock: Clock) -> None:
    users = [await make_learner(sessions, 100 + i) for i in range(20)]
    service = _service(sessions, clock)
    outcomes = await asyncio.gather(
        *(service.submit(u, "easy-one", ACCEPT, Source.DISCORD) for u in users)
    )
    assert all(o.first_solve and o.total_points == 10 for o in outcomes)
    assert await _count(sessions, Solve) == 20
    async with sessions() as session:
        assert set(await session.scalars(select(User.points))) == {10}


async def test_every_log_line_of_a_submission_names_it(
    sessions: Sessions, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    user = await make_learner(sessions, 1)
    configure_logging("INFO", "json")
    try:
        outcome = await _service(sessions, clock).submit(user, "easy-one", ACCEPT, Source.WEB)
    finally:
        configure_logging("WARNING")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    about = [line for line in lines if line["logger"] == "core.submissions.service"]
    assert [line["message"].split()[0] for line in about] == ["grading", "accepted"]
    assert {line["submission_id"] for line in about} == {outcome.submission_id}


async def test_drain_finishes_in_flight_and_refuses_new(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    release = asyncio.Event()

    async def hold() -> None:
        await release.wait()

    service = _service(sessions, clock, ScriptedGrader(hold))
    running = asyncio.create_task(service.submit(user, "easy-one", ACCEPT, Source.DISCORD))
    await asyncio.sleep(0.2)
    draining = asyncio.create_task(service.drain(timeout_s=10))
    await asyncio.sleep(0)
    with pytest.raises(SubmissionRejected, match="restarting"):
        await service.submit(user, "easy-two", ACCEPT, Source.DISCORD)
    assert not draining.done()
    release.set()
    assert (await running).accepted
    assert await draining is True


async def test_drain_gives_up_after_its_timeout(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    never = asyncio.Event()

    async def hold() -> None:
        await never.wait()

    service = _service(sessions, clock, ScriptedGrader(hold))
    running = asyncio.create_task(service.submit(user, "easy-one", ACCEPT, Source.DISCORD))
    await asyncio.sleep(0.2)
    assert await service.drain(timeout_s=0.2) is False
    running.cancel()
    async with sessions() as session:
        assert list(await session.scalars(select(Submission.verdict))) == ["pending"]


async def test_unknown_learner_is_rejected(sessions: Sessions, clock: Clock) -> None:
    with pytest.raises(SubmissionRejected, match="Unknown learner"):
        await _service(sessions, clock).submit(4242, "easy-one", ACCEPT, Source.WEB)
    assert await _count(sessions, Submission) == 0


async def test_a_new_task_version_is_graded_with_its_own_tests(
    sessions: Sessions, clock: Clock, tmp_path: Path
) -> None:
    user = await make_learner(sessions, 1)
    grader = ScriptedGrader()
    service = _service(sessions, clock, grader)
    first = await service.submit(user, "easy-one", WRONG, Source.WEB)
    tests = [
        {"input": "q\n", "output": "q\nq\n", "hidden": False},
        {"input": "r\n", "output": "r\nr\n", "hidden": True},
        {"input": "s\n", "output": "s\ns\n", "hidden": True},
    ]
    write_json(tmp_path / "v2" / "tasks" / "easy-one.json", task_document("easy-one", tests=tests))
    async with session_scope(sessions) as session:
        await load_content(session, read_content(tmp_path / "v2"))
    second = await service.submit(user, "easy-one", WRONG, Source.WEB)
    assert (len(first.tests), len(second.tests)) == (2, 3)
    assert second.tests[0].input == "q\n"
    async with sessions() as session:
        versions = list(
            await session.scalars(select(Submission.task_version).order_by(Submission.id))
        )
    assert versions == [1, 2]


class _Deadlock(Exception):
    """What the MySQL driver raises for a deadlock (error 1213)."""


async def test_a_deadlocked_award_is_retried(
    sessions: Sessions, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await make_learner(sessions, 1)
    service = _service(sessions, clock)
    original = service._complete
    failures = [DBAPIError("UPDATE ...", {}, _Deadlock(1213, "Deadlock found"))]

    async def flaky(*args: Any, **kwargs: Any) -> Any:
        if failures:
            raise failures.pop()
        return await original(*args, **kwargs)

    monkeypatch.setattr(service, "_complete", flaky)
    outcome = await service.submit(user, "easy-one", ACCEPT, Source.WEB)
    assert (outcome.accepted, outcome.points_gained) == (True, 10)
    assert not failures


async def test_other_database_errors_are_not_retried(
    sessions: Sessions, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await make_learner(sessions, 1)
    service = _service(sessions, clock)

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise DBAPIError("UPDATE ...", {}, _Deadlock(1146, "Table doesn't exist"))

    monkeypatch.setattr(service, "_complete", broken)
    with pytest.raises(DBAPIError):
        await service.submit(user, "easy-one", ACCEPT, Source.WEB)
