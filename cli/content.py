"""`codestreak content ...`: check, load and describe task and achievement files."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from core.content.files import ContentSet, read_content
from core.content.loader import ContentLoad, load_content
from core.content.schema import AchievementFile, TaskFile
from core.db import create_engine, create_sessionmaker, session_scope
from core.settings import get_settings

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


@app.command()
def check(directory: ContentDir = None) -> None:
    """Validate every task and achievement file; exit 1 on any problem."""
    content = _read(directory)
    counts = Counter(p.item.difficulty.value for p in content.tasks)
    typer.echo(
        f"{len(content.tasks)} tasks ({counts['easy']} easy, {counts['medium']} medium, "
        f"{counts['hard']} hard), {len(content.achievements)} achievements."
    )
    if not content.ok:
        _report_problems(content)
        raise typer.Exit(1)
    typer.echo("All content is valid.")


@app.command()
def load(directory: ContentDir = None) -> None:
    """Upsert all content into the database by slug; nothing is written if any file is bad."""
    content = _read(directory)
    if not content.ok:
        _report_problems(content)
        typer.echo("Nothing was loaded.", err=True)
        raise typer.Exit(1)
    result = asyncio.run(_load(content))
    for kind, report in (("tasks", result.tasks), ("achievements", result.achievements)):
        typer.echo(
            f"{kind}: {len(report.created)} created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged."
        )
    if result.awarded:
        typer.echo(f"{result.awarded} achievement(s) awarded to learners who already qualified.")
    if not result.changed:
        typer.echo("No changes.")


async def _load(content: ContentSet) -> ContentLoad:
    settings = get_settings()
    engine = create_engine(settings.database_url)
    try:
        async with session_scope(create_sessionmaker(engine)) as session:
            return await load_content(session, content)
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
