"""Submitting a solution: validate, record as pending, grade in the sandbox, then award.

Points, the solve record, the streak and achievement unlocks are written in one transaction
with the graded submission, under a lock on the learner's row, so that racing submissions never
award twice and a crash never leaves half a result. A submission is completed only while it is
still pending (see `core.submissions.ledger`): a duplicate result, a grading run twice or one
the sweep of interrupted gradings got to first awards nothing, and the learner is told the
verdict that was recorded. A server's own task is solvable only in that server, and what it
earns counts on that server's boards only.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from core.achievements import AchievementDefinition, unlock_due
from core.catalog import audience_of
from core.db import session_scope
from core.grading import Grader, task_comparison
from core.logging_config import submission_context
from core.metrics import AWARD_SECONDS, BUSY_REFUSALS, GRADING_SECONDS, SUBMISSIONS
from core.models import GLOBAL_CATALOGUE, GuildMember, GuildSettings, Submission, Task, utcnow
from core.models import TestCase as StoredTest
from core.scores import board_points
from core.streaks import effective_current, local_day
from core.submissions.award import (
    Locked,
    finish_submission,
    lock_learner,
    recorded_submission,
    store_award,
)
from core.submissions.decision import Attempt, decide
from core.submissions.outcome import (
    RoleGrant,
    SubmissionOutcome,
    TestView,
    UnlockedAchievement,
)
from core.submissions.transactions import retried
from core.verdicts import SubmissionVerdict
from sandbox import (
    Comparison,
    Difference,
    GradeResult,
    RunLimits,
    SandboxBusy,
    SandboxError,
    TestCase,
    TestResult,
    Verdict,
)
from sandbox.calls import readable_cases

logger = logging.getLogger(__name__)

STORED_TEXT_LIMIT = 4096
CACHED_TASK_VERSIONS = 256
BUSY_MESSAGE = "The grader is busy right now. Please try again in a minute."
SHUTTING_DOWN_MESSAGE = "The grader is restarting. Please submit again in a minute."
UNAVAILABLE_MESSAGE = (
    "The grader is unavailable right now; your submission was kept. Please try again later."
)


#: What grading and awarding read of a task (not its statement or reference material).
GRADING_COLUMNS = (
    Task.id,
    Task.slug,
    Task.title,
    Task.points,
    Task.version,
    Task.published,
    Task.time_limit_s,
    Task.memory_mb,
    Task.compare_mode,
    Task.compare_tolerance,
    Task.owner_guild_id,
)
#: the published task of that slug among those the submission's server sees, the shared
#: catalogue's first
_TASK_TO_GRADE = (
    select(*GRADING_COLUMNS)
    .where(
        Task.slug == bindparam("slug"),
        Task.owner_guild_id.in_(bindparam("owners", expanding=True)),
        Task.published.is_(True),
    )
    .order_by(Task.owner_guild_id != GLOBAL_CATALOGUE)
    .limit(1)
)
_INSERT_PENDING = insert(Submission)
_TESTS_OF_TASK = (
    select(StoredTest.input, StoredTest.output, StoredTest.hidden)
    .where(StoredTest.task_id == bindparam("task_id"))
    .order_by(StoredTest.position)
)
#: the learner's servers with the roles moderators mapped to achievements there
_ROLE_MAPPINGS = (
    select(GuildMember.guild_id, GuildSettings.achievement_roles)
    .outerjoin(GuildSettings, GuildSettings.guild_id == GuildMember.guild_id)
    .where(GuildMember.user_id == bindparam("user_id"))
    .order_by(GuildMember.guild_id)
)


def submission_job_id(submission_id: int) -> str:
    """The grading job of a submission: one per submission, so it is never queued twice."""
    return f"submission-{submission_id}"


class Source(StrEnum):
    """Where a submission came from."""

    DISCORD = "discord"
    WEB = "web"


class SubmissionRejected(ValueError):
    """The submission was refused before grading; the message says why and what to do."""


def decode_code(code: str | bytes, max_bytes: int) -> str:
    """The submitted code as text, or a clear refusal: empty, too large or not UTF-8."""
    raw = code.encode("utf-8", "surrogatepass") if isinstance(code, str) else code
    if len(raw) > max_bytes:
        raise SubmissionRejected(
            f"Your code is {len(raw) // 1024} KB; the limit is {max_bytes // 1024} KB."
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionRejected(
            f"Your code is not valid UTF-8 text (byte {exc.start}). Save the file as UTF-8."
        ) from exc
    if not text.strip():
        raise SubmissionRejected("Your code is empty.")
    return text


def _clip(text: str | None, limit: int = STORED_TEXT_LIMIT) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[:limit] + f"\n… ({len(text) - limit} more characters)"


@dataclass(frozen=True, slots=True)
class _Graded:
    """A pending submission and the task data needed to grade and award it."""

    submission_id: int
    user_id: int
    guild_id: int | None
    task_id: int
    slug: str
    version: int
    title: str
    points: int
    cases: tuple[TestCase, ...]
    comparison: Comparison
    limits: RunLimits
    created_at: datetime
    #: the task is the submission's server's own (it counts on that server's boards only)
    server_task: bool = False


class SubmissionService:
    """The one way to submit a solution, shared by the bot and the site."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        grader: Grader,
        *,
        max_code_bytes: int = 64 * 1024,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.grader = grader
        self.max_code_bytes = max_code_bytes
        self.clock = clock
        self._cases: OrderedDict[tuple[int, int], tuple[TestCase, ...]] = OrderedDict()
        self._accepting = True
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def drain(self, timeout_s: float) -> bool:
        """Stop taking submissions and wait for those in flight; False if some are still running.

        Used at shutdown: a submission still running afterwards stays pending in the database
        and is reported as interrupted at the next start (with its own pool), or by the
        periodic sweep once nobody can be waiting for it (through the queue).
        """
        self._accepting = False
        try:
            await asyncio.wait_for(self._idle.wait(), timeout_s)
        except TimeoutError:
            logger.warning("%d submission(s) still grading at shutdown", self._in_flight)
            return False
        return True

    async def submit(
        self,
        user_id: int,
        task_slug: str,
        code: str | bytes,
        source: Source,
        guild_id: int | None = None,
        *,
        shared: bool = False,
    ) -> SubmissionOutcome:
        """Grade a learner's code for a task and award what it earned.

        The task is looked up among those the server `guild_id` sees (the shared catalogue's,
        then the server's own; without a server, the shared catalogue's only). `shared` records
        the learner's consent that others may see the code once accepted. Raises
        SubmissionRejected for unusable code or an unknown or unpublished task, which is also
        what another server's task is here; every other failure, the sandbox's included,
        becomes a recorded verdict.
        """
        if not self._accepting:
            raise SubmissionRejected(SHUTTING_DOWN_MESSAGE)
        text = decode_code(code, self.max_code_bytes)
        self._in_flight += 1
        self._idle.clear()
        try:
            pending = await self._record_pending(user_id, task_slug, text, source, guild_id, shared)
            with submission_context(pending.submission_id):
                outcome = await self._grade_and_award(pending, text)
            SUBMISSIONS.labels(verdict=outcome.verdict.value).inc()
            return outcome
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    async def _grade_and_award(self, pending: _Graded, text: str) -> SubmissionOutcome:
        logger.info("grading %s (version %s)", pending.slug, pending.version)
        try:
            with GRADING_SECONDS.time():
                result = await self.grader.grade(
                    text,
                    pending.cases,
                    pending.comparison,
                    pending.limits,
                    job_id=submission_job_id(pending.submission_id),
                )
        except SandboxBusy:
            logger.warning("sandbox busy")
            BUSY_REFUSALS.inc()
            return await self._fail(pending, BUSY_MESSAGE, busy=True)
        except SandboxError as exc:
            logger.error("sandbox failure: %s", exc)
            return await self._fail(pending, UNAVAILABLE_MESSAGE)
        with AWARD_SECONDS.time():
            outcome = await self._award(pending, result)
        logger.info(
            "%s (%d/%d tests, +%d points)",
            outcome.verdict.value,
            outcome.passed_count,
            len(outcome.tests),
            outcome.points_gained + outcome.daily_bonus,
        )
        return outcome

    async def _award(self, pending: _Graded, result: GradeResult) -> SubmissionOutcome:
        """Complete the submission in one transaction, again if the database chose it as the
        victim of a deadlock (everything was rolled back, so a retry is safe)."""
        return await retried(
            self.sessions, lambda session: self._complete(session, pending, result)
        )

    async def _record_pending(
        self,
        user_id: int,
        slug: str,
        code: str,
        source: Source,
        guild_id: int | None,
        shared: bool,
    ) -> _Graded:
        async with session_scope(self.sessions) as session:
            connection = await session.connection()
            task = (
                await connection.execute(
                    _TASK_TO_GRADE, {"slug": slug, "owners": sorted(audience_of(guild_id))}
                )
            ).one_or_none()
            if task is None:
                raise SubmissionRejected(
                    f"There is no published task '{slug}'. Check the name in the task list."
                )
            cases = await self._cases_of(connection, task.id, task.version)
            created_at = self.clock()
            try:
                inserted = await connection.execute(
                    _INSERT_PENDING,
                    {
                        "user_id": user_id,
                        "task_id": task.id,
                        "task_version": task.version,
                        "guild_id": guild_id,
                        "source": source.value,
                        "code": code,
                        "shared": shared,
                        "verdict": SubmissionVerdict.PENDING,
                        "created_at": created_at,
                    },
                )
            except IntegrityError as exc:  # the learner's row does not exist (any more)
                raise SubmissionRejected("Unknown learner.") from exc
            return _Graded(
                submission_id=inserted.lastrowid,
                user_id=user_id,
                guild_id=guild_id,
                task_id=task.id,
                slug=task.slug,
                version=task.version,
                title=task.title,
                points=task.points,
                cases=cases,
                comparison=task_comparison(task.compare_mode, task.compare_tolerance),
                limits=RunLimits(time_s=task.time_limit_s, memory_mb=task.memory_mb),
                created_at=created_at,
                server_task=task.owner_guild_id != GLOBAL_CATALOGUE,
            )

    async def _cases_of(
        self, connection: AsyncConnection, task_id: int, version: int
    ) -> tuple[TestCase, ...]:
        """A task's tests, read once per task version: a version's tests never change."""
        key = (task_id, version)
        cached = self._cases.get(key)
        if cached is not None:
            self._cases.move_to_end(key)
            return cached
        rows = await connection.execute(_TESTS_OF_TASK, {"task_id": task_id})
        cases = tuple(
            TestCase(input=row.input, expected=row.output, hidden=row.hidden) for row in rows
        )
        self._cases[key] = cases
        if len(self._cases) > CACHED_TASK_VERSIONS:
            self._cases.popitem(last=False)
        return cases

    async def _fail(self, pending: _Graded, message: str, busy: bool = False) -> SubmissionOutcome:
        """Record that the submission was not graded (nothing counted), unless it was completed
        meanwhile: then the learner is told the recorded verdict."""

        async def fail(session: AsyncSession) -> SubmissionOutcome:
            connection = await session.connection()
            locked = await _lock(connection, pending)
            if not await finish_submission(
                connection,
                pending.submission_id,
                verdict=SubmissionVerdict.SANDBOX_ERROR,
                message=message,
                finished_at=self.clock(),
            ):
                return await self._recorded(session, pending, locked)
            return await self._unchanged(
                session, pending, locked, Verdict.SANDBOX_ERROR, (), 0.0, message, busy=busy
            )

        return await retried(self.sessions, fail)

    async def _recorded(
        self, session: AsyncSession, pending: _Graded, locked: Locked | None
    ) -> SubmissionOutcome:
        """The outcome of a submission completed before this result arrived: the verdict it
        was recorded with, and nothing gained."""
        stored = await recorded_submission(await session.connection(), pending.submission_id)
        if stored is None:  # erased with its learner while graded
            raise SubmissionRejected("Unknown learner.")
        logger.warning("already completed as %s; this result is not counted", stored.verdict)
        return await self._unchanged(
            session,
            pending,
            locked,
            Verdict(stored.verdict.value),
            tuple(_recorded_view(test) for test in stored.results or ()),
            float(stored.time_ms or 0),
            stored.message,
        )

    async def _unchanged(
        self,
        session: AsyncSession,
        pending: _Graded,
        locked: Locked | None,
        verdict: Verdict,
        tests: tuple[TestView, ...],
        time_ms: float,
        message: str | None,
        *,
        busy: bool = False,
    ) -> SubmissionOutcome:
        """An outcome that awarded nothing: the learner's points and streak as they are."""
        points = streak = 0
        if locked is not None:
            points = locked.totals.score.points
            streak = effective_current(
                locked.totals.streak, local_day(self.clock(), locked.context.zone)
            )
        return SubmissionOutcome(
            submission_id=pending.submission_id,
            task_slug=pending.slug,
            task_title=pending.title,
            verdict=verdict,
            tests=tests,
            time_ms=time_ms,
            message=message,
            busy=busy,
            total_points=points,
            server_points=await _board_points(session, pending),
            streak_before=streak,
            streak_after=streak,
        )

    async def _complete(
        self, session: AsyncSession, pending: _Graded, result: GradeResult
    ) -> SubmissionOutcome:
        """Finish the graded submission, decide what it earned and store that, under the lock on
        the learner's row; when it was completed already, only tell the recorded verdict."""
        shown = readable_cases(pending.cases, pending.comparison)
        connection = await session.connection()
        locked = await _lock(connection, pending)
        if locked is None:
            raise SubmissionRejected("Unknown learner.")
        now = self.clock()
        if not await finish_submission(
            connection,
            pending.submission_id,
            verdict=SubmissionVerdict.of(result.verdict),
            results=[_stored(t, shown[t.index]) for t in result.tests],
            message=_clip(result.message),
            time_ms=round(result.time_ms),
            finished_at=now,
        ):
            return await self._recorded(session, pending, locked)
        attempt = Attempt(
            accepted=result.verdict is Verdict.ACCEPTED,
            task_points=pending.points,
            submitted_at=pending.created_at,
            finished_at=now,
        )
        award = decide(locked.counted, locked.context, attempt)
        await store_award(
            session,
            user_id=pending.user_id,
            task_id=pending.task_id,
            submission_id=pending.submission_id,
            locked=locked,
            award=award,
            at=now,
        )
        after = award.after
        unlocked = (
            await unlock_due(session, pending.user_id, after.score.points, after.streak.best, now)
            if award.may_unlock
            else []
        )
        total = locked.totals.score.points if pending.server_task else after.score.points
        return SubmissionOutcome(
            submission_id=pending.submission_id,
            task_slug=pending.slug,
            task_title=pending.title,
            verdict=result.verdict,
            tests=tuple(_view(t, shown[t.index]) for t in result.tests),
            time_ms=result.time_ms,
            message=result.message,
            first_solve=award.first_solve,
            points_gained=award.points_gained,
            daily_bonus=award.daily_bonus,
            hints_used=award.hints_used,
            hint_cost=award.hint_cost,
            total_points=total,
            server_points=await _board_points(session, pending),
            streak_before=award.streak_before,
            streak_after=award.streak_after,
            achievements=tuple(await _with_grants(session, pending.user_id, unlocked)),
        )


async def _board_points(session: AsyncSession, pending: _Graded) -> int | None:
    """For a server's own task, the learner's points on that server's board; else None."""
    if not pending.server_task or pending.guild_id is None:
        return None
    return await board_points(session, pending.user_id, pending.guild_id)


async def _with_grants(
    session: AsyncSession, user_id: int, unlocked: list[AchievementDefinition]
) -> list[UnlockedAchievement]:
    """Unlocked achievements with the role to grant in each of the learner's servers that
    mapped one."""
    if not unlocked:
        return []
    guilds = (await session.execute(_ROLE_MAPPINGS, {"user_id": user_id})).mappings().all()
    result = []
    for achievement in unlocked:
        grants = [
            RoleGrant(guild["guild_id"], roles[achievement.slug])
            for guild in guilds
            if (roles := guild["achievement_roles"]) and achievement.slug in roles
        ]
        result.append(
            UnlockedAchievement(
                achievement.slug,
                achievement.name,
                achievement.description,
                achievement.emoji,
                tuple(grants),
            )
        )
    return result


async def _lock(connection: AsyncConnection, pending: _Graded) -> Locked | None:
    """Lock the submitting learner's row and read what completing the submission needs."""
    return await lock_learner(
        connection,
        user_id=pending.user_id,
        guild_id=pending.guild_id,
        task_id=pending.task_id,
        submission_id=pending.submission_id,
        created_at=pending.created_at,
        server_task=pending.server_task,
    )


def _stored(test: TestResult, case: TestCase) -> dict[str, Any]:
    """One test's result as kept in the submission's JSON (texts clipped; where a wrong answer
    differs, located on the full outputs).

    A hidden test keeps only what the learner may see: never its input, expected output, or
    the program's output and errors on it.
    """
    seen: dict[str, Any] = {
        "index": test.index,
        "passed": test.passed,
        "hidden": test.hidden,
        "verdict": _verdict(test),
        "time_ms": test.time_ms,
    }
    if test.hidden:
        return seen
    shown = {
        **seen,
        "input": _clip(case.input),
        "expected": _clip(case.expected),
        "actual": _clip(test.stdout),
        "stderr": _clip(test.stderr),
    }
    if test.difference is not None:
        shown["difference"] = test.difference.model_dump(mode="json")
    return shown


def _view(test: TestResult, case: TestCase) -> TestView:
    """One test as the learner may see it."""
    if test.hidden:
        return TestView(test.index, test.passed, True, _verdict(test), test.time_ms)
    return TestView(
        test.index,
        test.passed,
        False,
        _verdict(test),
        test.time_ms,
        input=case.input,
        expected=case.expected,
        actual=test.stdout,
        stderr=test.stderr,
        difference=test.difference,
    )


def _recorded_view(stored: dict[str, Any]) -> TestView:
    """One test as `_stored` kept it (a hidden test's without input or output)."""
    return TestView(
        stored["index"],
        stored["passed"],
        stored["hidden"],
        stored["verdict"],
        stored["time_ms"],
        input=stored.get("input"),
        expected=stored.get("expected"),
        actual=stored.get("actual"),
        stderr=stored.get("stderr"),
        difference=Difference.model_validate(detail)
        if (detail := stored.get("difference"))
        else None,
    )


def _verdict(test: TestResult) -> str | None:
    return test.verdict.value if test.verdict else None
