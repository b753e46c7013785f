"""`codestreak migrate`: bring the database to the code's schema and load the content, once."""

from __future__ import annotations

import asyncio

import typer

from cli.composition import ExitCode, StartupFailed, prepare_database
from core.db import describe_url, open_database
from core.settings import Settings, get_settings


def migrate() -> None:
    """Apply pending migrations and load the content, then exit: 0 done, 1 failed.

    The one-shot step before starting replicas with MIGRATE_ON_START=false, which wait for it.
    Safe to run at any time and from several places at once (they take turns under a lock).
    """
    raise typer.Exit(asyncio.run(_migrate(get_settings())))


async def _migrate(settings: Settings) -> ExitCode:
    try:
        async with open_database(settings.database_url, echo=settings.database_echo) as database:
            await prepare_database(settings, database, with_content=True)
    except StartupFailed as failure:
        return failure.report()
    typer.echo(f"{describe_url(settings.database_url)} is migrated and its content loaded.")
    return ExitCode.STOPPED
