"""`codestreak streaks ...`: learners' streaks an operator maintains."""

from __future__ import annotations

import asyncio

import typer
from sqlalchemy.exc import SQLAlchemyError

from core.db import describe_url, open_database, session_scope
from core.settings import get_settings
from core.submissions.recompute import recompute_streaks

app = typer.Typer(help="Learners' streaks.", no_args_is_help=True)


async def _recompute(url: str) -> int:
    async with open_database(url) as database, session_scope(database.sessions) as session:
        return await recompute_streaks(session)


@app.command()
def recompute() -> None:
    """Derive every learner's current and best streak again from their solves and daily
    challenges, in their time zone, and store those that differ."""
    url = get_settings().database_url
    try:
        changed = asyncio.run(_recompute(url))
    except SQLAlchemyError as exc:
        typer.secho(f"Could not update {describe_url(url)}: {exc}", fg="red", err=True)
        typer.echo("Check DATABASE_URL and run `codestreak db upgrade` first.", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Streaks recomputed: {changed} learner(s) changed.")
