"""Serving the website: the check before listening on a network, and the uvicorn server."""

from __future__ import annotations

import ipaddress

import typer
import uvicorn
from fastapi import FastAPI

from core.settings import GENERATE_KEY_HINT, SECRET_MIN_LENGTH, Settings

WEAK_SECRET_ON_NETWORK = 2


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
