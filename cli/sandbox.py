"""`codestreak sandbox ...`: the grading sandbox's image."""

from __future__ import annotations

import asyncio
import os
from typing import Annotated

import typer

from core.grading import sandbox_config
from core.settings import get_settings
from sandbox import SandboxError, SandboxPool
from sandbox.image import build_image

app = typer.Typer(help="The grading sandbox: build its image.", no_args_is_help=True)


@app.command("build-image")
def build_image_command(
    offline: Annotated[
        bool, typer.Option(help="Build the base from Debian packages (no image registry).")
    ] = False,
    tag: Annotated[str | None, typer.Option(help="Image name (default: SANDBOX_IMAGE).")] = None,
    base: Annotated[
        str | None, typer.Option(help="Base image (default: python:3.11-slim).")
    ] = None,
) -> None:
    """Build the sandbox image from sandbox/Dockerfile."""
    settings = get_settings()
    try:
        built = asyncio.run(
            build_image(
                tag or settings.sandbox_image,
                offline=offline,
                docker_url=settings.sandbox_docker_url,
                base=base,
            )
        )
    except SandboxError as exc:
        typer.secho(f"Could not build the sandbox image: {exc}", fg="red", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Built {built}.")


def private_pool(concurrency: int = 1) -> SandboxPool:
    """A pool for one command, under its own name so it never touches a running service's."""
    config = sandbox_config(get_settings()).model_copy(
        update={
            "pool_name": f"cli-{os.getpid()}",
            "pool_size": concurrency,
            "max_concurrent": concurrency,
        }
    )
    return SandboxPool(config)
