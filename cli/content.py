"""`codestreak content ...`: check, load and describe task and achievement files."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from cli import mutation_report, timing_report
from cli.sandbox import private_pool
from core.content.files import ContentSet, Parsed, Problem, read_content
from core.content.loader import ContentError, ContentLoad, load_content
from core.content.mutation_run import KILL_RATE_FLOOR, TaskMutation, mutate_tasks
from core.content.reachability import unreachable_achievements
from core.content.schema import AchievementFile, Difficulty, TaskFile
from core.content.timing import TaskTiming, time_tasks
from core.content.verify import TaskVerification, verify_tasks
from core.db import create_engine, create_sessionmaker, session_scope
from core.settings import get_settings
from sandbox import SandboxError, Verdict

app = typer.Typer(help="Content files: check, load, schema.", no_args_is_help=True)

ContentDir = Annotated[
    Path | None, typer.Option("--dir", help="Content folder (default: CONTENT_DIR, 'data').")
]


def _read(directory: Path | None) -> ContentSet:
    return read_content(directory or get_settings().content_dir)


def _report_problems(content: ContentSet) -> None:
    for problem in content.problems:
        typer.secho(str(problem), fg="red", err=True)
    typer.secho(f"{len(content.problems)} problem(s) found.", fg="red", err=True)


Sandbox = Annotated[
    bool,
    typer.Option(
        "--sandbox/--no-sandbox",
        help="Run every reference solution (must pass) and wrong solution (must fail) in the "
        "sandbox.",
    ),
]
Mutation = Annotated[
    bool,
    typer.Option(
        "--mutation/--no-mutation",
        help=f"With --sandbox: also mutation-test every task and fail those whose tests kill "
        f"fewer than {KILL_RATE_FLOOR:.0%} of their reference's mutants.",
    ),
]
Workers = Annotated[int, typer.Option("--workers", min=1, max=16, help="Sandbox runs at once.")]
Verify = Annotated[
    bool,
    typer.Option(
        "--verify/--no-verify",
        help="Prove new or changed tasks in the sandbox before loading (needs Docker).",
    ),
]


@app.command()
def check(
    directory: ContentDir = None, sandbox: Sandbox = False, mutation: Mutation = False
) -> None:
    """Validate every task and achievement file; exit 1 on any problem, 3 when the sandbox
    cannot verify them."""
    if mutation and not sandbox:
        raise typer.BadParameter("--mutation needs --sandbox", param_hint="--mutation")
    content = _read(directory)
    if content.ok:
        content.problems.extend(unreachable_achievements(content.tasks, content.achievements))
    counts = Counter(p.item.difficulty for p in content.tasks)
    by_difficulty = ", ".join(f"{counts[d]} {d}" for d in Difficulty)
    typer.echo(
        f"{len(content.tasks)} tasks ({by_difficulty}), {len(content.achievements)} achievements."
    )
    if content.ok and sandbox:
        try:
            checked = asyncio.run(_verify(content))
        except SandboxError as exc:
            typer.secho(f"Cannot verify tasks: {exc}", fg="red", err=True)
            raise typer.Exit(3) from exc
        content.problems.extend(_run_in_sandbox(checked))
    if content.ok and mutation:
        content.problems.extend(_mutation_floor(content.tasks))
    if not content.ok:
        _report_problems(content)
        raise typer.Exit(1)
    typer.echo("All content is valid.")


async def _verify(content: ContentSet) -> list[TaskVerification]:
    async with private_pool(concurrency=2) as pool:
        return await verify_tasks(pool, [(str(t.path), t.item) for t in content.tasks])


def _run_in_sandbox(checked: list[TaskVerification]) -> list[Problem]:
    """Print each task's sandbox result; return the problems found."""
    for verification in checked:
        limit_ms = verification.task.limits.time_s * 1000
        typer.echo(
            f"{verification.task.slug}: reference {verification.reference.verdict.value}, "
            f"slowest test {verification.slowest_ms:.0f} ms of {limit_ms:.0f} ms, "
            f"{sum(w.verdict is not Verdict.ACCEPTED for w in verification.wrong)}/"
            f"{len(verification.wrong)} wrong solutions caught"
        )
    return [p for v in checked for p in v.problems]


def _mutation_floor(tasks: list[Parsed[TaskFile]]) -> list[Problem]:
    """Mutation-test every task; a problem for each below the kill-rate floor."""
    results = _run_mutation([t.item for t in tasks], workers=2)
    for result in results:
        typer.echo(mutation_report.task_line(result))
    return [
        Problem(str(parsed.path), "tests", _below_floor(result))
        for parsed, result in zip(tasks, results, strict=True)
        if not result.meets_floor
    ]


def _below_floor(result: TaskMutation) -> str:
    if result.problem is not None:
        return f"cannot be mutation-tested: {result.problem}"
    return (
        f"the tests kill {result.rate:.1%} of the reference's mutants, below the "
        f"{KILL_RATE_FLOOR:.0%} floor ({len(result.survivors)} survive, "
        f"{len(result.unchecked)} not run); see `codestreak content mutate {result.slug}`"
    )


def _run_mutation(tasks: list[TaskFile], workers: int) -> list[TaskMutation]:
    """Mutation-test tasks in a private sandbox pool, with progress on stderr; exit 3 when the
    sandbox is not available."""

    async def run() -> list[TaskMutation]:
        async with private_pool(concurrency=workers) as pool:
            return await mutate_tasks(
                pool, tasks, workers, progress=lambda line: typer.echo(line, err=True)
            )

    try:
        return asyncio.run(run())
    except SandboxError as exc:
        typer.secho(f"Cannot run mutants: {exc}", fg="red", err=True)
        raise typer.Exit(3) from exc


def _chosen_tasks(directory: Path | None, slugs: list[str] | None) -> list[TaskFile]:
    """The named tasks (all when none are named); exit 1 on bad files or unknown slugs."""
    content = _read(directory)
    if not content.ok:
        _report_problems(content)
        raise typer.Exit(1)
    tasks = {t.item.slug: t.item for t in content.tasks}
    unknown = [slug for slug in slugs or [] if slug not in tasks]
    if unknown:
        typer.secho(f"No such task: {', '.join(unknown)}.", fg="red", err=True)
        raise typer.Exit(1)
    return [tasks[slug] for slug in dict.fromkeys(slugs)] if slugs else list(tasks.values())


@app.command()
def mutate(
    slugs: Annotated[
        list[str] | None, typer.Argument(help="Tasks to mutation-test (default: all).")
    ] = None,
    directory: ContentDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
    workers: Workers = 2,
) -> None:
    """Run mutants of each reference solution against its task's tests in the sandbox: how many
    the tests kill, and each survivor with the smallest input found that exposes it."""
    chosen = _chosen_tasks(directory, slugs)
    started = time.monotonic()
    results = _run_mutation(chosen, workers)
    seconds = time.monotonic() - started
    if as_json:
        typer.echo(json.dumps(mutation_report.document(results, seconds), ensure_ascii=False))
        return
    for line in mutation_report.table(results):
        typer.echo(line)
    typer.echo(mutation_report.total_line(results, seconds))


@app.command()
def timing(
    slugs: Annotated[
        list[str] | None,
        typer.Argument(help="Tasks to time (default: those with slow wrong solutions)."),
    ] = None,
    directory: ContentDir = None,
) -> None:
    """Time the reference and every wrong solution marked `slow` on each test in the sandbox;
    exit 1 when a slow solution passes, trails the reference by less than 5× or needs less than
    twice the time limit."""
    chosen = _chosen_tasks(directory, slugs)
    if not slugs:
        chosen = [task for task in chosen if any(w.slow for w in task.wrong_solutions)]

    async def run() -> list[TaskTiming]:
        async with private_pool(concurrency=1) as pool:
            return await time_tasks(pool, chosen, progress=lambda line: typer.echo(line, err=True))

    try:
        timings = asyncio.run(run())
    except SandboxError as exc:
        typer.secho(f"Cannot time tasks: {exc}", fg="red", err=True)
        raise typer.Exit(3) from exc
    for result in timings:
        for line in timing_report.task_lines(result):
            typer.echo(line)
    typer.echo(timing_report.summary(timings))
    if any(result.findings() for result in timings):
        raise typer.Exit(1)


@app.command()
def load(directory: ContentDir = None, verify: Verify = True) -> None:
    """Upsert all content into the database by slug; nothing is written if any file is bad."""
    content = _read(directory)
    if not content.ok:
        _report_problems(content)
        typer.echo("Nothing was loaded.", err=True)
        raise typer.Exit(1)
    try:
        result = asyncio.run(_load(content, verify))
    except ContentError as exc:
        for problem in exc.problems:
            typer.secho(problem, fg="red", err=True)
        typer.echo("Nothing was loaded.", err=True)
        raise typer.Exit(1) from exc
    except SandboxError as exc:
        typer.secho(f"Cannot verify tasks: {exc}", fg="red", err=True)
        typer.echo("Nothing was loaded. Use --no-verify to load without the sandbox.", err=True)
        raise typer.Exit(3) from exc
    for kind, report in (("tasks", result.tasks), ("achievements", result.achievements)):
        typer.echo(
            f"{kind}: {len(report.created)} created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged."
        )
    if result.awarded:
        typer.echo(f"{result.awarded} achievement(s) awarded to learners who already qualified.")
    if not result.changed:
        typer.echo("No changes.")


async def _load(content: ContentSet, verify: bool) -> ContentLoad:
    settings = get_settings()
    engine = create_engine(settings.database_url)
    try:
        sessions = create_sessionmaker(engine)
        if not verify:
            async with session_scope(sessions) as session:
                return await load_content(session, content)
        async with private_pool(concurrency=2) as pool, session_scope(sessions) as session:
            return await load_content(session, content, pool)
    finally:
        await engine.dispose()


@app.command()
def schema(
    output: Annotated[Path, typer.Option("--out", help="Folder to write into.")] = Path(
        "data/schema"
    ),
) -> None:
    """Write JSON Schemas of task and achievement files for editors."""
    output.mkdir(parents=True, exist_ok=True)
    for name, model in (("task", TaskFile), ("achievement", AchievementFile)):
        path = output / f"{name}.schema.json"
        path.write_text(json.dumps(model.model_json_schema(), indent=2) + "\n", encoding="utf-8")
        typer.echo(f"Wrote {path}")
