"""The bot's commands as `/help` lists them, read from its command tree (so none is forgotten)."""

from __future__ import annotations

from typing import Any

from discord import app_commands

from bot.render.help import CommandLine


def _lines(
    command: app_commands.Command[Any, ..., Any] | app_commands.Group | app_commands.ContextMenu,
) -> list[CommandLine]:
    if isinstance(command, app_commands.ContextMenu):
        return [CommandLine(command.name, "submit the code in that message", menu=True)]
    if isinstance(command, app_commands.Group):
        return [
            CommandLine(sub.qualified_name, sub.description)
            for sub in command.walk_commands()
            if isinstance(sub, app_commands.Command)
        ]
    return [CommandLine(command.qualified_name, command.description)]


def command_lines(
    tree: app_commands.CommandTree[Any],
) -> tuple[list[CommandLine], list[CommandLine]]:
    """Every command for learners, and those for moderators (commands Discord shows only to
    members with a permission), each list by name."""
    learners: list[CommandLine] = []
    moderators: list[CommandLine] = []
    for command in tree.get_commands():
        restricted = command.default_permissions is not None
        (moderators if restricted else learners).extend(_lines(command))
    return (
        sorted(learners, key=lambda c: (c.menu, c.name)),
        sorted(moderators, key=lambda c: c.name),
    )
