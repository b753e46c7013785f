"""`codestreak web`: serve the companion website."""

from __future__ import annotations

from typing import Annotated

import typer

from api.app import create_app
from cli.serving import refuse_weak_secret_on_network, site_server
from core import migrations
from core.settings import get_settings

Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)]


def web(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Serve the website with uvicorn, after applying pending migrations."""
    settings = get_settings()
    refuse_weak_secret_on_network(settings, host)
    migrations.upgrade(settings.database_url)
    site_server(create_app(settings), settings, host, port).run()
