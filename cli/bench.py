"""`codestreak bench ...`: measurements that print numbers."""

from __future__ import annotations

import os
import time
from dataclasses import asdict
from typing import Annotated

import typer
from pydantic import BaseModel, ConfigDict

from cli.bench_report import BenchExit, CannotBenchmark, GraderKind, run_and_report
from core import migrations
from core.content.files import read_content
from core.content.loader import load_content
from core.db import describe_url, open_database, session_scope
from core.db_benchmark import DatabaseNotEmpty, fill, measure
from core.grading import sandbox_config
from core.models import utcnow
from core.settings import Settings, get_settings
from sandbox.bench import BenchResult, run_benchmark

app = typer.Typer(
    help="Benchmarks: grading speed, database queries and what learners wait for on Discord.",
    no_args_is_help=True,
)

#: a task every checkout ships: easy, eight tests
DEFAULT_TASK = "digital-root-drill"

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


@app.command()
def grading(
    as_json: JsonFlag = False,
    duration: Annotated[float, typer.Option(help="Seconds of sustained load.", min=1)] = 20.0,
    samples: Annotated[int, typer.Option(help="Latency samples.", min=5)] = 30,
) -> None:
    """Latency with a ready pool, sustained throughput, and the one-cold-container-per-test
    baseline, for a 10-test accepted submission."""
    config = sandbox_config(get_settings()).model_copy(update={"pool_name": f"bench-{os.getpid()}"})
    run_and_report(run_benchmark(config, duration, samples), as_json, _print_grading)


def _print_grading(result: BenchResult) -> None:
    typer.echo(f"latency p50        {result.p50_ms:8.1f} ms  ({result.latency_samples} samples)")
    typer.echo(f"latency p95        {result.p95_ms:8.1f} ms")
    typer.echo(
        f"throughput         {result.throughput_per_s:8.2f} /s  "
        f"({result.throughput_submissions} submissions, fresh container each)"
    )
    typer.echo(f"baseline           {result.baseline_ms:8.1f} ms  (cold container per test)")
    typer.echo(f"speedup            {result.speedup:8.1f} x")
    typer.echo(
        f"engine ceiling     {result.engine_containers_per_s:8.2f} /s  "
        "(containers started and removed, nothing graded)"
    )
    typer.echo(f"host interpreter   {result.host_interpreter_ms:8.1f} ms  (python3 -I -S -c pass)")
    typer.echo(
        f"hostile stall      {result.hostile_stall_ms:8.1f} ms  "
        "(worst event-loop wait while hostile output is graded)"
    )
    typer.echo(
        f"hostile overshoot  {result.hostile_overshoot_s:8.2f} s   "
        "(beyond that submission's deadline)"
    )


@app.command()
def queue(
    as_json: JsonFlag = False,
    samples: Annotated[int, typer.Option(help="Latency samples each way.", min=5, max=500)] = 30,
    duration: Annotated[
        float, typer.Option(help="Seconds of each throughput run.", min=1, max=120)
    ] = 10.0,
    burst: Annotated[
        int, typer.Option(help="Submissions of the burst (over 10 s).", min=10, max=2000)
    ] = 300,
    learners: Annotated[
        int, typer.Option(help="Learners submitting while a grader is killed.", min=5, max=500)
    ] = 40,
) -> None:
    """Grading through the Redis queue (REDIS_URL, on this machine) against grading in-process:
    latency percentiles and the queue's added latency, throughput with one and two
    `codestreak grader` processes, a burst, and a grader SIGKILLed while learners submit."""
    from cli.bench_queue import print_queue, run_queue_benchmark

    run_and_report(
        run_queue_benchmark(get_settings(), samples, duration, burst, learners),
        as_json,
        print_queue,
    )


class DbBenchResult(BaseModel):
    """Every figure of one `codestreak bench db` run."""

    model_config = ConfigDict(frozen=True)

    database: str
    #: p50 milliseconds of each query learners wait for
    p50_ms: dict[str, float]
    fill_s: float
    learners: int
    submissions: int
    solves: int
    guild_ids: tuple[int, ...]


@app.command()
def db(
    as_json: JsonFlag = False,
    learners: Annotated[int, typer.Option(help="Learners to create.", min=10)] = 100_000,
    submissions: Annotated[int, typer.Option(help="Submissions to create.", min=10)] = 1_000_000,
    rounds: Annotated[int, typer.Option(help="Samples per query.", min=5)] = 50,
) -> None:
    """Fill the configured (empty) database with a large community, then time the queries
    learners wait for: profile, leaderboards and recording an accepted submission."""
    settings = get_settings()
    migrations.upgrade(settings.database_url)
    run_and_report(_db_benchmark(settings, learners, submissions, rounds), as_json, _print_db)


def _print_db(result: DbBenchResult) -> None:
    typer.echo(
        f"filled {result.learners} learners, {result.submissions} submissions and "
        f"{result.solves} solves in {result.fill_s:.1f} s ({result.database})"
    )
    for name, p50 in result.p50_ms.items():
        typer.echo(f"{name:<18} p50 {p50:8.2f} ms")


async def _db_benchmark(
    settings: Settings, learners: int, submissions: int, rounds: int
) -> DbBenchResult:
    async with open_database(settings.database_url) as database:
        sessions = database.sessions
        async with session_scope(sessions) as session:
            await load_content(session, read_content(settings.content_dir))
        now = utcnow()
        started = time.monotonic()
        try:
            report = await fill(sessions, learners, submissions, now)
        except DatabaseNotEmpty as exc:
            raise CannotBenchmark(str(exc)) from exc
        fill_s = round(time.monotonic() - started, 1)
        timings = await measure(sessions, report, now, rounds)
    return DbBenchResult(
        database=describe_url(settings.database_url),
        p50_ms=timings,
        fill_s=fill_s,
        **asdict(report),
    )


@app.command()
def bot(
    as_json: JsonFlag = False,
    learners: Annotated[
        int, typer.Option(help="Learners submitting one at a time.", min=2, max=500)
    ] = 30,
    burst: Annotated[int, typer.Option(help="Learners submitting at once.", min=2, max=500)] = 50,
    grader: Annotated[
        GraderKind, typer.Option(help="The Docker sandbox, or scripted instant verdicts.")
    ] = GraderKind.SANDBOX,
    task: Annotated[str, typer.Option(help="The task (slug) the learners solve.")] = DEFAULT_TASK,
    database_url: Annotated[
        str | None, typer.Option(help="A throwaway database; by default a temporary SQLite file.")
    ] = None,
) -> None:
    """What a learner waits for in Discord: the real bot on the test suite's fake Discord,
    learners sending a solution in the code box one at a time, then all at once; p50/p95/max
    from the interaction to the verdict message, split into acknowledgement, recording, grading
    and sending. Runs from a checkout (it needs the repository's tests/ folder)."""
    try:
        from cli.bench_bot import print_bot, run_bot_benchmark
    except ModuleNotFoundError as exc:
        if exc.name is None or not exc.name.startswith("tests"):
            raise
        typer.secho(
            "Cannot benchmark: `bench bot` drives the fake Discord of the repository's tests/ "
            "folder; run it from a checkout (pip install -e .).",
            fg="red",
            err=True,
        )
        raise typer.Exit(BenchExit.CANNOT_RUN) from exc
    run_and_report(
        run_bot_benchmark(get_settings(), grader, task, learners, burst, database_url),
        as_json,
        print_bot,
    )
