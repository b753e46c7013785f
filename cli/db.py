"""`codestreak db ...`: schema migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from core import migrations
from core.db import describe_url
from core.settings import get_settings

app = typer.Typer(help="Database schema: apply migrations.", no_args_is_help=True)


@app.command()
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply pending migrations to the configured database."""
    url = get_settings().database_url
    try:
        migrations.upgrade(url, revision)
    except Exception as exc:  # any driver error: say what and where, not a traceback
        typer.secho(f"Could not migrate {describe_url(url)}: {exc}", fg="red", err=True)
        typer.echo("Check DATABASE_URL and that the database server is running.", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Database {describe_url(url)} is at revision {migrations.head_revision(url)}.")
