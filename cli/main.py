"""Entry point of the `codestreak` command."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from cli import bench, bot, content, db, sandbox, streaks, user
from cli.grade import grade
from cli.grader import GraderSettings, grader
from cli.migrate import migrate
from cli.run import run
from cli.web import web
from core.logging_config import configure_logging
from core.settings import get_settings

app = typer.Typer(
    help="codestreak: a Discord coding trainer with a companion website.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(content.app, name="content")
app.add_typer(sandbox.app, name="sandbox")
app.add_typer(bench.app, name="bench")
app.add_typer(user.app, name="user")
app.add_typer(bot.app, name="bot")
app.add_typer(streaks.app, name="streaks")
app.command()(grade)
app.command()(web)
app.command()(run)
app.command()(grader)
app.command()(migrate)


@app.callback()
def main(context: typer.Context) -> None:
    """Configure logging once for whichever sub-command runs."""
    try:
        # a grader's settings need no secret key: it never uses one
        settings = GraderSettings() if context.invoked_subcommand == "grader" else get_settings()
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            where = ".".join(str(part) for part in error["loc"]).upper() or "settings"
            typer.secho(
                f"Invalid setting {where}: {error['msg'].removeprefix('Value error, ')}",
                fg="red",
                err=True,
            )
        raise typer.Exit(2) from exc
    configure_logging(settings.log_level, settings.log_format)
