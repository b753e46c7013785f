"""Serving the website: the check before listening on a network, and the uvicorn server."""

from __future__ import annotations

import ipaddress
import signal
from typing import Annotated

import typer
import uvicorn
from fastapi import FastAPI

from core.settings import GENERATE_KEY_HINT, SECRET_MIN_LENGTH, Settings

WEAK_SECRET_ON_NETWORK = 2

Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)]


def is_loopback(host: str) -> bool:
    """True when `host` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refuse_weak_secret_on_network(settings: Settings, host: str) -> None:
    """Exit (code 2) before serving on an address others reach with a guessable SECRET_KEY."""
    if is_loopback(host) or not settings.weak_secret_key:
        return
    typer.secho(
        f"Refusing to serve on {host}: SECRET_KEY is the placeholder or shorter than "
        f"{SECRET_MIN_LENGTH} characters, so anyone could forge sessions and links. Remove "
        "SECRET_KEY from .env and the environment to use a key generated on first run, or set "
        f"a real one: {GENERATE_KEY_HINT}",
        fg="red",
        err=True,
    )
    raise typer.Exit(WEAK_SECRET_ON_NETWORK)


def site_server(app: FastAPI, settings: Settings, host: str, port: int) -> uvicorn.Server:
    """A uvicorn server for the site that believes proxy headers from FORWARDED_ALLOW_IPS only."""
    return uvicorn.Server(
        uvicorn.Config(
            app,
            host=host,
            port=port,
            proxy_headers=True,
            forwarded_allow_ips=settings.forwarded_allow_ips,
            log_config=None,
        )
    )


async def serve_until_signalled(server: uvicorn.Server) -> None:
    """Serve until SIGTERM or SIGINT, then return so that the caller can finish cleanly.

    uvicorn re-raises the signal it caught once it is done; stopping is already handled, so the
    re-raised signal is ignored rather than ending the process before its parts are closed.
    """
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: None)
    await server.serve()
