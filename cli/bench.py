"""`codestreak bench ...`: measurements that print numbers."""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import asdict
from typing import Annotated

import typer

from core import migrations
from core.content.files import read_content
from core.content.loader import load_content
from core.db import create_engine, create_sessionmaker, describe_url, session_scope
from core.db_benchmark import DatabaseNotEmpty, FillReport, fill, measure
from core.grading import sandbox_config
from core.models import utcnow
from core.settings import get_settings
from sandbox import SandboxError
from sandbox.bench import BenchResult, run_benchmark

app = typer.Typer(help="Benchmarks: grading speed and database queries.", no_args_is_help=True)

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
    try:
        result = asyncio.run(run_benchmark(config, duration, samples))
    except SandboxError as exc:
        typer.secho(f"Cannot benchmark: {exc}", fg="red", err=True)
        raise typer.Exit(3) from exc
    if as_json:
        typer.echo(result.model_dump_json())
        return
    _print_grading(result)


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
    from cli.bench_queue import CannotBenchmark, print_queue, run_queue_benchmark

    try:
        result = asyncio.run(
            run_queue_benchmark(get_settings(), samples, duration, burst, learners)
        )
    except CannotBenchmark as exc:
        typer.secho(f"Cannot benchmark: {exc}.", fg="red", err=True)
        raise typer.Exit(2) from exc
    except SandboxError as exc:
        typer.secho(f"Cannot benchmark: {exc}", fg="red", err=True)
        raise typer.Exit(3) from exc
    if as_json:
        typer.echo(result.model_dump_json())
        return
    print_queue(result)


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
    try:
        migrations.upgrade(settings.database_url)
        timings, report, fill_s = asyncio.run(_db_benchmark(learners, submissions, rounds))
    except DatabaseNotEmpty as exc:
        typer.secho(f"Cannot benchmark: {exc}.", fg="red", err=True)
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps({"p50_ms": timings, "fill_s": fill_s, **asdict(report)}))
        return
    typer.echo(
        f"filled {report.learners} learners, {report.submissions} submissions and "
        f"{report.solves} solves in {fill_s:.1f} s ({describe_url(settings.database_url)})"
    )
    for name, p50 in timings.items():
        typer.echo(f"{name:<18} p50 {p50:8.2f} ms")


async def _db_benchmark(
    learners: int, submissions: int, rounds: int
) -> tuple[dict[str, float], FillReport, float]:
    settings = get_settings()
    engine = create_engine(settings.database_url)
    try:
        sessions = create_sessionmaker(engine)
        async with session_scope(sessions) as session:
            await load_content(session, read_content(settings.content_dir))
        now = utcnow()
        started = time.monotonic()
        report = await fill(sessions, learners, submissions, now)
        fill_s = round(time.monotonic() - started, 1)
        return await measure(sessions, report, now, rounds), report, fill_s
    finally:
        await engine.dispose()
