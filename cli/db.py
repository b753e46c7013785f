"""`codestreak db ...`: apply schema migrations and write new ones."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.revisions import RevisionError, write_revision
from core import migrations
from core.db import describe_url
from core.settings import get_settings

app = typer.Typer(help="Database schema: apply migrations, write new ones.", no_args_is_help=True)


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


@app.command()
def revision(
    message: Annotated[
        str, typer.Option("--message", "-m", help="What the migration does; names the file too.")
    ],
    autogenerate: Annotated[
        bool,
        typer.Option(help="Write the operations that bring a database at head to the models."),
    ] = False,
    configured_db: Annotated[
        bool,
        typer.Option(
            "--configured-db",
            help="Autogenerate against DATABASE_URL (at head) instead of a scratch SQLite one.",
        ),
    ] = False,
    versions_dir: Annotated[Path | None, typer.Option(hidden=True)] = None,
) -> None:
    """Write the next migration, migrations/versions/NNNN_slug.py, to edit and commit."""
    url = get_settings().database_url if configured_db else None
    try:
        path = write_revision(
            message, autogenerate=autogenerate, database_url=url, versions_dir=versions_dir
        )
    except RevisionError as exc:
        typer.secho(f"No revision written: {exc}", fg="red", err=True)
        if url is not None:
            typer.echo(f"`codestreak db upgrade` brings {describe_url(url)} to head.", err=True)
        raise typer.Exit(1) from exc
    except Exception as exc:  # a driver error from the configured database: say where
        if url is None:
            raise
        typer.secho(f"Could not compare with {describe_url(url)}: {exc}", fg="red", err=True)
        raise typer.Exit(1) from exc
    if path is None:
        typer.secho("The models and the migrations agree: nothing to write.", fg="yellow", err=True)
        typer.echo("Leave out --autogenerate for an empty revision to fill by hand.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Wrote {path}: review it, then run it on SQLite and MariaDB (scripts/test.sh).")
