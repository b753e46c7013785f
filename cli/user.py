"""`codestreak user ...`: site accounts an operator manages: who curates the shared catalogue.

Curators change the shared catalogue from the site's designer. The operator appoints them here;
accounts that were site-wide moderators before rights became per server are listed until the
operator confirms or dismisses each one, so no right is ever granted silently.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import describe_url, open_database, session_scope
from core.models import User
from core.moderators import UnknownAccount, curators, former_moderators, set_curator
from core.settings import get_settings

app = typer.Typer(help="Site accounts: who curates the shared catalogue.", no_args_is_help=True)

T = TypeVar("T")


async def _in_transaction(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async with open_database(url) as database, session_scope(database.sessions) as session:
        return await work(session)


def _run(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Do `work` in one transaction on the configured database; a clear message and exit
    code 1 for an unknown account or a database that cannot be used."""
    url = get_settings().database_url
    try:
        return asyncio.run(_in_transaction(url, work))
    except UnknownAccount as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    except SQLAlchemyError as exc:
        typer.secho(f"Could not use {describe_url(url)}: {exc}", fg="red", err=True)
        typer.echo("Check DATABASE_URL and run `codestreak db upgrade` first.", err=True)
        raise typer.Exit(1) from exc


def _account(user: User) -> str:
    """How an account is named to the operator: its name and email, or its Discord account
    when it has no site account yet."""
    if user.email is None:
        return f"{user.display_name} (Discord id {user.discord_id}, no site account yet)"
    return f"{user.display_name} <{user.email}>"


@app.command()
def curator(
    account: Annotated[
        str,
        typer.Argument(
            help="The email address of the site account, or the Discord id of an account "
            "without one.",
            metavar="EMAIL_OR_DISCORD_ID",
        ),
    ],
    revoke: Annotated[
        bool,
        typer.Option("--revoke", help="Dismiss the account instead of appointing it."),
    ] = False,
) -> None:
    """Appoint a site account as a curator of the shared catalogue (or dismiss it)."""

    async def appoint(session: AsyncSession) -> str:
        return _account(await set_curator(session, account, not revoke))

    account = _run(appoint)
    if revoke:
        typer.echo(f"{account} is not a curator: the shared catalogue is closed to this account.")
    else:
        typer.echo(f"{account} is now a curator: the shared catalogue's designer is at /mod/tasks.")


@app.command(name="curators")
def list_curators() -> None:
    """List the curators, and the former site-wide moderators awaiting a decision."""

    async def read(session: AsyncSession) -> tuple[list[str], list[tuple[str, str]]]:
        appointed = [_account(user) for user in await curators(session)]
        former = [
            (_account(user), user.email or str(user.discord_id))
            for user in await former_moderators(session)
        ]
        return appointed, former

    appointed, former = _run(read)
    if appointed:
        typer.echo("Curators (they change the shared catalogue on the site):")
        for account in appointed:
            typer.echo(f"  {account}")
    else:
        typer.echo("No curator is appointed. Appoint one with `codestreak user curator EMAIL`.")
    home = get_settings().home_guild_ids
    if home:
        servers = ", ".join(str(guild_id) for guild_id in home)
        typer.echo(f"The moderators of the home servers (HOME_GUILD_IDS: {servers}) curate too.")
    if not former:
        return
    typer.echo("")
    typer.echo("Former site-wide moderators, not curators until you decide:")
    for account, key in former:
        typer.echo(f"  {account}")
        typer.echo(f"    confirm: codestreak user curator {key}")
        typer.echo(f"    dismiss: codestreak user curator {key} --revoke")
