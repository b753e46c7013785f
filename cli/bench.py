"""`codestreak bench ...`: measurements that print numbers."""

from __future__ import annotations

import asyncio
import os
from typing import Annotated

import typer

from core.grading import sandbox_config
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
