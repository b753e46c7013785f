"""What every `codestreak bench ...` shares: the machine line, percentiles, and the tail that
runs a measurement and prints it as one JSON object or as lines, or says why it cannot run."""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
from collections.abc import Callable, Coroutine, Sequence
from enum import IntEnum, StrEnum
from typing import Any, TypeVar

import typer
from pydantic import BaseModel, ConfigDict

from sandbox import SandboxError

ResultT = TypeVar("ResultT", bound=BaseModel)


class CannotBenchmark(ValueError):
    """The benchmark cannot run here (what is missing is in the message)."""


class BenchExit(IntEnum):
    """How a benchmark that could not run ends."""

    CANNOT_RUN = 2
    SANDBOX_FAILED = 3


class GraderKind(StrEnum):
    """What grades a benchmark's submissions."""

    SANDBOX = "sandbox"
    #: scripted, instant verdicts: no Docker needed
    FAKE = "fake"


class Spread(BaseModel):
    """Median, 95th percentile and maximum of a series of durations, in milliseconds."""

    model_config = ConfigDict(frozen=True)

    p50_ms: float
    p95_ms: float
    max_ms: float
    samples: int


def spread(values_ms: Sequence[float]) -> Spread:
    """The spread of `values_ms`; zeros when there are none."""
    if not values_ms:
        return Spread(p50_ms=0.0, p95_ms=0.0, max_ms=0.0, samples=0)
    p95 = (
        statistics.quantiles(values_ms, n=100, method="inclusive")[94]
        if len(values_ms) > 1
        else values_ms[0]
    )
    return Spread(
        p50_ms=round(statistics.median(values_ms), 1),
        p95_ms=round(p95, 1),
        max_ms=round(max(values_ms), 1),
        samples=len(values_ms),
    )


def machine() -> str:
    """This machine, as the figures' context: architecture, CPUs and system."""
    return f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}"


def run_and_report(
    measurement: Coroutine[Any, Any, ResultT], as_json: bool, show: Callable[[ResultT], None]
) -> None:
    """Run `measurement`; print its result as one JSON object (`as_json`) or with `show`. A
    benchmark that cannot run here, or whose sandbox failed, ends with a one-line reason."""
    try:
        result = asyncio.run(measurement)
    except CannotBenchmark as exc:
        typer.secho(f"Cannot benchmark: {exc}.", fg="red", err=True)
        raise typer.Exit(BenchExit.CANNOT_RUN) from exc
    except SandboxError as exc:
        typer.secho(f"Cannot benchmark: {exc}", fg="red", err=True)
        raise typer.Exit(BenchExit.SANDBOX_FAILED) from exc
    if as_json:
        typer.echo(result.model_dump_json())
        return
    show(result)
