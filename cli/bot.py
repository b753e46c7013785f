"""`codestreak bot`: run the Discord bot alone; `codestreak bot sync`: sync its commands now."""

from __future__ import annotations

import asyncio
import signal

import discord
import typer

from bot.app import create_bot, run_until
from cli.composition import ExitCode, StartupFailed, grading_process, migrated_database
from cli.metrics import metrics_served
from core.grading import sandbox_pool
from core.settings import Settings, get_settings

app = typer.Typer()


@app.callback(invoke_without_command=True)
def bot(context: typer.Context) -> None:
    """Run the Discord bot until SIGTERM or SIGINT (needs DISCORD_TOKEN).

    Applies pending migrations and loads the content first (with MIGRATE_ON_START=false, waits
    for `codestreak migrate` instead), then grades in its own sandbox pool, marking submissions
    a previous process left pending as interrupted, or with GRADING_MODE=queue through the
    grading queue, starting no pool. Syncs the slash commands that changed since their last
    sync. A signal stops taking submissions, lets those in flight finish, removes every sandbox
    container and exits 0; exits 2 without DISCORD_TOKEN or when Discord refuses it, 1 when
    start-up fails.
    """
    if context.invoked_subcommand is not None:
        return
    settings = _with_token()
    try:
        code = asyncio.run(_serve(settings))
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers were installed
        code = ExitCode.STOPPED
    raise typer.Exit(code)


@app.command()
def sync() -> None:
    """Sync every slash command with Discord now, changed or not, then exit.

    For commands someone removed by hand, or after changing DISCORD_GUILD_IDS back and forth.
    """
    raise typer.Exit(asyncio.run(_sync(_with_token())))


def _with_token() -> Settings:
    settings = get_settings()
    if not settings.bot_token:
        typer.secho("DISCORD_TOKEN is not set; put the bot's token in .env.", fg="red", err=True)
        raise typer.Exit(ExitCode.DISCORD_REFUSED)
    return settings


def _refused() -> ExitCode:
    typer.secho("Discord refused DISCORD_TOKEN; check the token.", fg="red", err=True)
    return ExitCode.DISCORD_REFUSED


async def _serve(settings: Settings) -> ExitCode:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        with metrics_served(settings):
            async with grading_process(settings) as parts:
                bot = create_bot(
                    settings, parts.database.sessions, parts.grader, submissions=parts.submissions
                )
                async with bot:
                    await run_until(stop, bot, settings.bot_token, settings.shutdown_grace_s)
    except StartupFailed as failure:
        return failure.report()
    except discord.LoginFailure:
        return _refused()
    return ExitCode.STOPPED


async def _sync(settings: Settings) -> ExitCode:
    try:
        async with migrated_database(settings) as database:
            # logging in sets the bot up, which syncs; nothing is graded, so the pool stays idle
            bot = create_bot(settings, database.sessions, sandbox_pool(settings), force_sync=True)
            async with bot:
                await bot.login(settings.bot_token)
    except StartupFailed as failure:
        return failure.report()
    except discord.LoginFailure:
        return _refused()
    typer.echo("Commands synced.")
    return ExitCode.STOPPED
