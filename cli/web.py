"""`codestreak web`: serve the companion website."""

from __future__ import annotations

import asyncio

import typer

from api.app import create_app
from cli.composition import ExitCode, StartupFailed, migrated_database
from cli.serving import (
    Host,
    Port,
    refuse_weak_secret_on_network,
    serve_until_signalled,
    site_server,
)
from core.settings import Settings, get_settings


def web(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Serve the website with uvicorn, after applying pending migrations."""
    settings = get_settings()
    refuse_weak_secret_on_network(settings, host)
    raise typer.Exit(asyncio.run(_serve(settings, host, port)))


async def _serve(settings: Settings, host: str, port: int) -> ExitCode:
    try:
        async with migrated_database(settings) as database:
            app = create_app(settings, database=database)
            await serve_until_signalled(site_server(app, settings, host, port))
    except StartupFailed as failure:
        return failure.report()
    return ExitCode.STOPPED
