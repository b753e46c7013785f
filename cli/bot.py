"""`codestreak bot`: run the Discord bot alone."""

from __future__ import annotations

import asyncio
import signal

import discord
import typer

from bot.app import create_bot, run_until
from cli.composition import ExitCode, StartupFailed, grading_process
from core.settings import Settings, get_settings


def bot() -> None:
    """Run the Discord bot until SIGTERM or SIGINT (needs DISCORD_TOKEN).

    Applies pending migrations, marks interrupted submissions and loads the content first. A
    signal stops taking submissions, lets those in flight finish, removes every sandbox
    container and exits 0; exits 2 without DISCORD_TOKEN or when Discord refuses it, 1 when
    start-up fails.
    """
    settings = get_settings()
    if not settings.bot_token:
        typer.secho("DISCORD_TOKEN is not set; put the bot's token in .env.", fg="red", err=True)
        raise typer.Exit(ExitCode.DISCORD_REFUSED)
    try:
        code = asyncio.run(_serve(settings))
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers were installed
        code = ExitCode.STOPPED
    raise typer.Exit(code)


async def _serve(settings: Settings) -> ExitCode:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with grading_process(settings) as parts:
            bot = create_bot(
                settings, parts.database.sessions, parts.pool, submissions=parts.submissions
            )
            async with bot:
                await run_until(stop, bot, settings.bot_token, settings.shutdown_grace_s)
    except StartupFailed as failure:
        return failure.report()
    except discord.LoginFailure:
        typer.secho("Discord refused DISCORD_TOKEN; check the token.", fg="red", err=True)
        return ExitCode.DISCORD_REFUSED
    return ExitCode.STOPPED
