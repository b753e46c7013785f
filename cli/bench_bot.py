"""`codestreak bench bot`: what a learner waits for in Discord, from sending a solution in the
code box to the verdict message, with learners one at a time and then many at once.

Discord is the fake of the test suite (`tests/fakediscord`): an aiohttp server on 127.0.0.1
that the real discord.py reaches over real HTTP and WebSocket, and that enforces Discord's
rules (a late acknowledgement is refused as Discord refuses it). It stays test code: an
installed wheel has no `tests` package and should not ship a fake Discord. This command is a
developer's and operator's tool run from a checkout (`pip install -e .`), where `tests` is
importable; `codestreak bench` imports this module only when `bench bot` runs and says so
plainly when it cannot.

The bot (`bot.app.create_bot`, every extension) runs in this process on the fake's event loop,
as the end-to-end tests run it, on a database of its own (a throwaway SQLite file unless
`--database-url`) with the content of CONTENT_DIR, and grades with the Docker sandbox (or, with
`--grader fake`, a scripted grader that prints each test's expected output at once). Each
learner opens the code box with `/submit task:<task>` and sends the task's reference solution;
the figures are for that second interaction. The fake's own work shares the process and counts
in them; Discord's network round trips do not.

Phases, on the one monotonic clock of the event loop:
- acknowledgement: the interaction dispatched → its deferred response reached the fake;
- recording: the acknowledgement → grading starts (the learner and the pending submission
  written), plus grading's end → the commit of the graded submission and what it earned;
- grading: the grader's call;
- sending: that commit → the verdict message reached the fake (roles and announcement checks,
  rendering, the request);
- total: dispatch → verdict; the phases add up to it.
Grading is timed by wrapping the grader handed to the bot, the commit by a session event on the
bot's sessions: nothing in the bot changes for the benchmark. The bot's own histograms of
grading and award times (`core.metrics`, the same registry `/metrics` serves) are read before
and after each run and reported beside the phases, as a cross-check.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import typer
from prometheus_client import Histogram
from pydantic import BaseModel, ConfigDict
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from cli.bench_report import CannotBenchmark, GraderKind, Spread, machine, spread
from core import migrations
from core.content.files import ContentSet, read_content
from core.content.loader import ContentError, load_content
from core.content.schema import TaskFile
from core.db import create_engine, describe_url, session_scope
from core.grading import Grader, sandbox_config
from core.metrics import AWARD_SECONDS, GRADING_SECONDS
from core.settings import Settings
from sandbox import Comparison, GradeResult, RunLimits, SandboxPool, TestCase, Verdict
from tests.fakediscord import (
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeMember,
    InteractionRecord,
    running_fake,
)
from tests.support.bot_scene import ACK_DEADLINE_S, CODE_FIELD, GRADING_TIMEOUT_S, bot_on
from tests.support.fake_grader import Program, ScriptedGrader

#: the one-at-a-time run's median goal, milliseconds from the interaction to the verdict
GOAL_P50_MS = 150.0
#: pause between two learners of the one-at-a-time run, so that each meets an idle bot (and,
#: with the sandbox, a full pool of ready containers)
SETTLE_S = 0.05


class Phases(BaseModel):
    """Where the wait of each submission went (see the module's docstring)."""

    model_config = ConfigDict(frozen=True)

    acknowledgement: Spread
    recording: Spread
    grading: Spread
    sending: Spread
    total: Spread


class BotMetrics(BaseModel):
    """What the bot's own histograms (`core.metrics`) recorded during a run, as a cross-check of
    the phases: gradings and their mean, and awards (storing a graded submission) and theirs."""

    model_config = ConfigDict(frozen=True)

    gradings: int
    grading_mean_ms: float
    awards: int
    award_mean_ms: float


class LearnerRun(BaseModel):
    """Learners submitting one at a time, or all at once, and what they got."""

    model_config = ConfigDict(frozen=True)

    submissions: int
    answered: int
    accepted: int
    #: interactions (code boxes included) not acknowledged within Discord's 3 seconds
    late_acks: int
    #: `/submit` → the code box shown
    code_box: Spread
    phases: Phases
    metrics: BotMetrics


class BotBenchResult(BaseModel):
    """Every figure of one `codestreak bench bot` run."""

    model_config = ConfigDict(frozen=True)

    machine: str
    grader: GraderKind
    database: str
    task: str
    one_at_a_time: LearnerRun
    burst: LearnerRun
    #: Discord rules the bot broke, as the fake recorded them (must be 0)
    violations: int
    goal_p50_ms: float
    goal_met: bool


@dataclass(slots=True)
class _Marks:
    """The instants of one submission, on the event loop's clock."""

    dispatched: float = 0.0
    acknowledged: float | None = None
    grading_started: float | None = None
    graded: float | None = None
    recorded: float | None = None
    answered: float | None = None
    accepted: bool = False

    def phases(self) -> dict[str, float] | None:
        """Seconds of each phase, or None when the submission did not get that far."""
        if (
            self.acknowledged is None
            or self.grading_started is None
            or self.graded is None
            or self.recorded is None
            or self.answered is None
        ):
            return None
        return {
            "acknowledgement": self.acknowledged - self.dispatched,
            "recording": (self.grading_started - self.acknowledged) + (self.recorded - self.graded),
            "grading": self.graded - self.grading_started,
            "sending": self.answered - self.recorded,
            "total": self.answered - self.dispatched,
        }


def _now() -> float:
    return asyncio.get_running_loop().time()


class _Stopwatch:
    """Marks grading and the commit that follows it for each submission the bench sent."""

    def __init__(self) -> None:
        self.by_code: dict[str, _Marks] = {}
        #: the asyncio task that graded each submission, until its result is committed
        self._graded_in: dict[asyncio.Task[object], _Marks] = {}

    def graded(self, code: str, started: float, result: GradeResult) -> None:
        """The grading of `code` took from `started` until now (code the bench did not send
        is not timed: its submission then lacks phases, and the samples count says so)."""
        marks = self.by_code.get(code)
        if marks is None:
            return
        marks.grading_started, marks.graded = started, _now()
        marks.accepted = result.verdict is Verdict.ACCEPTED
        task = asyncio.current_task()
        if task is not None:
            self._graded_in[task] = marks

    def committed(self) -> None:
        """A transaction committed: the first one after a grading, in its task, stores it."""
        task = asyncio.current_task()
        marks = self._graded_in.pop(task, None) if task is not None else None
        if marks is not None:
            marks.recorded = _now()


class _TimedGrader:
    """The bot's grader, each call timed for the stopwatch."""

    def __init__(self, inner: Grader, stopwatch: _Stopwatch) -> None:
        self.inner = inner
        self.stopwatch = stopwatch

    async def grade(
        self,
        code: str,
        cases: Sequence[TestCase],
        comparison: Comparison | None = None,
        limits: RunLimits | None = None,
        *,
        job_id: str | None = None,
    ) -> GradeResult:
        """Grade with the inner grader; mark when it started and ended."""
        started = _now()
        result = await self.inner.grade(code, cases, comparison, limits, job_id=job_id)
        self.stopwatch.graded(code, started, result)
        return result


def _expected_output(task: TaskFile) -> Program:
    """A scripted program printing what `task`'s tests expect for each input."""
    outputs = {test.input: test.output for test in task.tests}
    return lambda stdin: outputs[stdin]


@dataclass(slots=True)
class _World:
    """The fake, the learners' channel, and what the bench needs to submit."""

    fake: FakeDiscord
    guild: FakeGuild
    channel: FakeChannel
    stopwatch: _Stopwatch
    grading: _Grading
    task: TaskFile

    async def idle(self) -> None:
        """Until the bot is idle again: the sandbox's pool refilled, then a short pause."""
        if self.grading.pool is not None:
            await self.grading.pool.wait_ready()
        await asyncio.sleep(SETTLE_S)


@dataclass(slots=True)
class _Learner:
    """One learner of a run: their code, its marks, and their code box."""

    member: FakeMember
    code: str
    marks: _Marks
    box: InteractionRecord | None = None

    @property
    def box_ms(self) -> float | None:
        """Milliseconds until the code box showed; None when it did not within 3 seconds."""
        if self.box is None or self.box.modal is None:
            return None
        delay = self.box.ack_delay_s
        return None if delay is None or delay >= ACK_DEADLINE_S else delay * 1000

    @property
    def late(self) -> bool:
        """Whether the code box or the submission went unacknowledged for 3 seconds."""
        marks = self.marks
        return (
            self.box_ms is None
            or marks.acknowledged is None
            or marks.acknowledged - marks.dispatched >= ACK_DEADLINE_S
        )


def _learner(world: _World, name: str) -> _Learner:
    """A new member who will send the reference solution, told apart by a comment line."""
    number = len(world.stopwatch.by_code)
    code = f"{world.task.solution.rstrip()}\n# learner {number}\n"
    marks = _Marks()
    world.stopwatch.by_code[code] = marks
    scripted = world.grading.scripted
    if scripted is not None:
        scripted.programs = {**scripted.programs, code: _expected_output(world.task)}
    return _Learner(world.fake.add_member(world.guild, f"{name}{number}"), code, marks)


async def _open_box(world: _World, learner: _Learner) -> None:
    """`/submit task:<task>`, until the code box shows (or not within Discord's deadline)."""
    learner.box = await world.fake.send_slash(
        world.channel, learner.member, "submit", {"task": world.task.slug}
    )
    with contextlib.suppress(TimeoutError):
        await learner.box.wait_for_modal(ACK_DEADLINE_S + 1)


async def _send_code(world: _World, learner: _Learner) -> InteractionRecord | None:
    """Send the code box with the learner's code (None when it never showed); dispatched at
    once, without waiting for anything."""
    if learner.box is None or learner.box.modal is None:
        return None
    sent = await world.fake.submit_modal(learner.box, {CODE_FIELD: learner.code})
    learner.marks.dispatched = sent.dispatched_at
    return sent


async def _verdict(learner: _Learner, sent: InteractionRecord | None) -> None:
    """Wait for the acknowledgement and the verdict message of `sent`, and mark both."""
    if sent is None:
        return
    with contextlib.suppress(TimeoutError):
        await sent.wait_for_ack(ACK_DEADLINE_S + 1)
        if sent.ack_delay_s is not None:
            learner.marks.acknowledged = sent.dispatched_at + sent.ack_delay_s
        await sent.wait_for_response(GRADING_TIMEOUT_S)
        learner.marks.answered = _now()


def _totals(histogram: Histogram) -> tuple[float, float]:
    """How many observations `histogram` holds, and their sum."""
    (family,) = histogram.collect()
    samples = {sample.name: sample.value for sample in family.samples}
    return samples[f"{family.name}_count"], samples[f"{family.name}_sum"]


def _mean_ms(before: tuple[float, float], after: tuple[float, float]) -> tuple[int, float]:
    """The observations between two `_totals`, and their mean in milliseconds."""
    count = after[0] - before[0]
    return int(count), round((after[1] - before[1]) / count * 1000, 1) if count else 0.0


async def _metered(run: Awaitable[list[_Learner]]) -> LearnerRun:
    """The figures of `run`, with what the bot's histograms recorded meanwhile."""
    before = _totals(GRADING_SECONDS), _totals(AWARD_SECONDS)
    learners = await run
    gradings, grading_ms = _mean_ms(before[0], _totals(GRADING_SECONDS))
    awards, award_ms = _mean_ms(before[1], _totals(AWARD_SECONDS))
    metrics = BotMetrics(
        gradings=gradings, grading_mean_ms=grading_ms, awards=awards, award_mean_ms=award_ms
    )
    return _summary(learners, metrics)


def _summary(learners: Sequence[_Learner], metrics: BotMetrics) -> LearnerRun:
    """The figures of a run from each learner's marks."""
    phases = [timed for learner in learners if (timed := learner.marks.phases()) is not None]
    answered = [learner.marks for learner in learners if learner.marks.answered is not None]
    return LearnerRun(
        submissions=len(learners),
        answered=len(answered),
        accepted=sum(marks.accepted for marks in answered),
        late_acks=sum(learner.late for learner in learners),
        code_box=spread([ms for learner in learners if (ms := learner.box_ms) is not None]),
        phases=Phases(
            **{
                name: spread([timed[name] * 1000 for timed in phases])
                for name in Phases.model_fields
            }
        ),
        metrics=metrics,
    )


async def _one_at_a_time(world: _World, count: int) -> list[_Learner]:
    """`count` learners, each submitting once the previous one had their verdict."""
    learners = []
    for _ in range(count):
        learner = _learner(world, "single")
        await _open_box(world, learner)
        await _verdict(learner, await _send_code(world, learner))
        learners.append(learner)
        await world.idle()
    return learners


async def _at_once(world: _World, count: int) -> list[_Learner]:
    """`count` learners open their code boxes together, then send them in the same instant."""
    learners = [_learner(world, "burst") for _ in range(count)]
    await asyncio.gather(*(_open_box(world, learner) for learner in learners))
    sent = [await _send_code(world, learner) for learner in learners]
    await asyncio.gather(
        *(_verdict(learner, record) for learner, record in zip(learners, sent, strict=True))
    )
    return learners


@dataclass(frozen=True, slots=True)
class _Grading:
    """The run's grader: the sandbox's pool, or the scripted grader (taught each code)."""

    grader: Grader
    pool: SandboxPool | None = None
    scripted: ScriptedGrader | None = None


@asynccontextmanager
async def _grading(settings: Settings, kind: GraderKind) -> AsyncIterator[_Grading]:
    """The grader of the run, started (the sandbox's pool full) until the block ends."""
    if kind is GraderKind.FAKE:
        scripted = ScriptedGrader()
        yield _Grading(scripted, scripted=scripted)
        return
    config = sandbox_config(settings).model_copy(update={"pool_name": f"bench-bot-{os.getpid()}"})
    async with SandboxPool(config) as pool:
        await pool.wait_ready()
        yield _Grading(pool, pool=pool)


@asynccontextmanager
async def _database(
    url: str, content: ContentSet, stopwatch: _Stopwatch
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The run's database at the code's schema with the content loaded; its sessions (made as
    `core.db.create_sessionmaker` makes them) report their commits to the stopwatch."""

    class TimedSession(Session):
        """A session whose commits the stopwatch sees."""

    event.listen(TimedSession, "after_commit", lambda _session: stopwatch.committed())
    await migrations.upgrade_async(url)
    engine = create_engine(url)
    try:
        sessions = async_sessionmaker(
            engine, expire_on_commit=False, sync_session_class=TimedSession
        )
        try:
            async with session_scope(sessions) as session:
                await load_content(session, content)
        except ContentError as exc:
            raise CannotBenchmark(f"the content is refused: {exc.problems[0]}") from exc
        yield sessions
    finally:
        await engine.dispose()


def _published_task(content: ContentSet, slug: str, folder: Path) -> TaskFile:
    """The published task `slug` of the content, or CannotBenchmark."""
    for parsed in content.tasks:
        if parsed.item.slug == slug and parsed.item.published:
            return parsed.item
    raise CannotBenchmark(f"no published task {slug!r} in {folder}; choose one with --task")


async def run_bot_benchmark(
    settings: Settings,
    kind: GraderKind,
    slug: str,
    learners: int,
    burst: int,
    database_url: str | None,
) -> BotBenchResult:
    """`learners` learners one at a time, then `burst` at once (see the module's docstring)."""
    content = read_content(settings.content_dir)
    task = _published_task(content, slug, settings.content_dir)
    stopwatch = _Stopwatch()
    with tempfile.TemporaryDirectory(prefix="codestreak-bench-bot-") as folder:
        url = database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
        async with AsyncExitStack() as stack:
            sessions = await stack.enter_async_context(_database(url, content, stopwatch))
            grading = await stack.enter_async_context(_grading(settings, kind))
            fake = await stack.enter_async_context(running_fake())
            guild = fake.create_guild("Bench")
            channel = fake.add_text_channel(guild, "general")
            grader = _TimedGrader(grading.grader, stopwatch)
            await stack.enter_async_context(bot_on(fake, guild, sessions, grader))
            world = _World(fake, guild, channel, stopwatch, grading, task)
            single = await _metered(_one_at_a_time(world, learners))
            many = await _metered(_at_once(world, burst))
            violations = len(fake.violations)
    return BotBenchResult(
        machine=machine(),
        grader=kind,
        database=describe_url(url) if database_url else "sqlite (temporary file)",
        task=slug,
        one_at_a_time=single,
        burst=many,
        violations=violations,
        goal_p50_ms=GOAL_P50_MS,
        goal_met=single.phases.total.p50_ms <= GOAL_P50_MS,
    )


def print_bot(result: BotBenchResult) -> None:
    """The benchmark's figures: a line per run, then a line per phase."""
    typer.echo(f"machine            {result.machine}")
    typer.echo(
        f"setup              {result.grader.value} grader, task {result.task}, "
        f"database {result.database}"
    )
    for title, run in (("one at a time", result.one_at_a_time), ("all at once", result.burst)):
        typer.echo(
            f"{title:<18} {run.submissions} submissions: {run.answered} answered, "
            f"{run.accepted} accepted, {run.late_acks} acknowledged late"
        )
        spreads = {"code box": run.code_box, **dict(run.phases)}
        for name, figures in spreads.items():
            typer.echo(
                f"  {name:<16} p50 {figures.p50_ms:7.1f} ms  p95 {figures.p95_ms:7.1f} ms  "
                f"max {figures.max_ms:7.1f} ms"
            )
        metrics = run.metrics
        typer.echo(
            f"  bot's metrics    {metrics.gradings} gradings, mean {metrics.grading_mean_ms:.1f} "
            f"ms; {metrics.awards} awards, mean {metrics.award_mean_ms:.1f} ms"
        )
    verdict = "met" if result.goal_met else "missed"
    typer.echo(
        f"goal               p50 one at a time {result.one_at_a_time.phases.total.p50_ms:.1f} ms "
        f"<= {result.goal_p50_ms:g} ms: {verdict}; Discord rules broken: {result.violations}"
    )
