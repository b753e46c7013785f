"""`codestreak user ...`: site accounts an operator manages, such as moderator rights."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError

from core.db import create_engine, create_sessionmaker, describe_url, session_scope
from core.moderators import UnknownAccount, set_curator
from core.settings import get_settings

app = typer.Typer(help="Site accounts: moderator rights.", no_args_is_help=True)


async def _set_moderator(url: str, email: str, granted: bool) -> str:
    engine = create_engine(url)
    try:
        async with session_scope(create_sessionmaker(engine)) as session:
            user = await set_curator(session, email, granted)
            return user.display_name
    finally:
        await engine.dispose()


@app.command()
def moderator(
    email: Annotated[str, typer.Argument(help="The email address of the site account.")],
    revoke: Annotated[
        bool, typer.Option("--revoke", help="Take the rights away instead of granting them.")
    ] = False,
) -> None:
    """Let a site account author, validate and publish tasks on the website (or stop it)."""
    url = get_settings().database_url
    try:
        name = asyncio.run(_set_moderator(url, email, not revoke))
    except UnknownAccount as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    except SQLAlchemyError as exc:
        typer.secho(f"Could not update {describe_url(url)}: {exc}", fg="red", err=True)
        typer.echo("Check DATABASE_URL and run `codestreak db upgrade` first.", err=True)
        raise typer.Exit(1) from exc
    if revoke:
        typer.echo(f"{name} ({email.strip()}) is no longer a moderator on the site.")
    else:
        typer.echo(
            f"{name} ({email.strip()}) is now a moderator: the task designer is at /mod/tasks."
        )
