"""`codestreak bot`: run the Discord bot alone."""

from __future__ import annotations

import typer

from bot.app import run_bot
from core import migrations
from core.settings import get_settings


def bot() -> None:
    """Run the Discord bot (needs DISCORD_TOKEN); exits 2 without a token."""
    settings = get_settings()
    if settings.discord_token is not None and settings.discord_token.get_secret_value():
        migrations.upgrade(settings.database_url)
    raise typer.Exit(run_bot(settings))
