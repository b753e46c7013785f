"""Discord's validation of application command definitions sent by a command sync."""

from __future__ import annotations

from typing import Any

from .errors import FormProblem, bad_value, check_length

Path = tuple[str | int, ...]

CHAT_INPUT = 1
USER_COMMAND = 2
MESSAGE_COMMAND = 3
SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
CHOICE_TYPES = (3, 4, 10)
MAX_PER_TYPE = {CHAT_INPUT: 100, USER_COMMAND: 5, MESSAGE_COMMAND: 5}


def command_list_problems(commands: list[Any]) -> list[FormProblem]:
    """Every problem with a bulk overwrite body (a list of command definitions)."""
    problems: list[FormProblem] = []
    seen: set[tuple[int, str]] = set()
    counts: dict[int, int] = {}
    for index, command in enumerate(commands):
        kind = int(command.get("type", CHAT_INPUT))
        key = (kind, str(command.get("name")))
        if key in seen:
            problems.append(bad_value((index, "name"), "Application command names must be unique"))
        seen.add(key)
        counts[kind] = counts.get(kind, 0) + 1
        problems += command_problems(command, (index,))
    for kind, count in counts.items():
        if count > MAX_PER_TYPE.get(kind, 0):
            problems.append(bad_value((), f"Too many commands of type {kind} ({count})."))
    return problems


def command_problems(command: dict[str, Any], path: Path = ()) -> list[FormProblem]:
    """Every problem with one command definition."""
    kind = int(command.get("type", CHAT_INPUT))
    name = command.get("name")
    description = command.get("description", "")
    if kind == CHAT_INPUT:
        problems = _name_problems((*path, "name"), name)
        problems += _description_problems((*path, "description"), description)
        problems += _options_problems(list(command.get("options") or []), (*path, "options"), 0)
        return problems
    if kind in (USER_COMMAND, MESSAGE_COMMAND):
        problems = []
        if not isinstance(name, str) or not 1 <= len(name) <= 32:
            problems.append(bad_value((*path, "name"), "Must be between 1 and 32 in length."))
        if description:
            problems.append(bad_value((*path, "description"), "Context menus have no description."))
        if command.get("options"):
            problems.append(bad_value((*path, "options"), "Context menus take no options."))
        return problems
    return [bad_value((*path, "type"), f"Unknown command type {kind}.")]


def _name_problems(path: Path, name: object) -> list[FormProblem]:
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        return [bad_value(path, "Must be between 1 and 32 in length.")]
    if name != name.lower() or not all(ch.isalnum() or ch in "-_'" for ch in name):
        return [bad_value(path, "Command name is invalid (lowercase letters, digits, - _ ').")]
    return []


def _description_problems(path: Path, description: object) -> list[FormProblem]:
    if not isinstance(description, str) or not 1 <= len(description) <= 100:
        return [bad_value(path, "Must be between 1 and 100 in length.")]
    return []


def _options_problems(options: list[Any], path: Path, depth: int) -> list[FormProblem]:
    problems = check_length(path, options, 25)
    kinds = [int(option.get("type", 0)) for option in options]
    nested = [kind in (SUB_COMMAND, SUB_COMMAND_GROUP) for kind in kinds]
    if any(nested) and not all(nested):
        problems.append(bad_value(path, "Subcommands cannot be mixed with other options."))
    seen_optional = False
    names: set[str] = set()
    for index, option in enumerate(options):
        here = (*path, index)
        kind = kinds[index]
        problems += _name_problems((*here, "name"), option.get("name"))
        problems += _description_problems((*here, "description"), option.get("description"))
        if option.get("name") in names:
            problems.append(bad_value((*here, "name"), "Option names must be unique."))
        names.add(str(option.get("name")))
        if kind == SUB_COMMAND_GROUP:
            problems += _group_problems(option, here, depth)
        elif kind == SUB_COMMAND:
            problems += _options_problems(list(option.get("options") or []), (*here, "options"), 2)
        else:
            if option.get("required"):
                if seen_optional:
                    problems.append(
                        bad_value(
                            here, "Required options must be placed before non-required options"
                        )
                    )
            else:
                seen_optional = True
            problems += _value_option_problems(option, here, kind)
    return problems


def _group_problems(group: dict[str, Any], path: Path, depth: int) -> list[FormProblem]:
    children = list(group.get("options") or [])
    if depth > 0:
        return [bad_value(path, "Subcommand groups cannot be nested.")]
    if any(int(child.get("type", 0)) != SUB_COMMAND for child in children):
        return [bad_value((*path, "options"), "Subcommand groups may only hold subcommands.")]
    return _options_problems(children, (*path, "options"), 1)


def _value_option_problems(option: dict[str, Any], path: Path, kind: int) -> list[FormProblem]:
    if not 3 <= kind <= 11:
        return [bad_value((*path, "type"), f"Unknown option type {kind}.")]
    choices = list(option.get("choices") or [])
    problems = check_length((*path, "choices"), choices, 25)
    if choices and kind not in CHOICE_TYPES:
        problems.append(bad_value((*path, "choices"), "Only strings and numbers take choices."))
    if choices and option.get("autocomplete"):
        problems.append(bad_value((*path, "autocomplete"), "Autocomplete excludes choices."))
    for index, choice in enumerate(choices):
        name = choice.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            problems.append(bad_value((*path, "choices", index, "name"), "Must be 1-100 long."))
        problems += check_length((*path, "choices", index, "value"), choice.get("value"), 100)
    for bound in ("min_length", "max_length"):
        value = option.get(bound)
        if value is not None and not 0 <= int(value) <= 6000:
            problems.append(bad_value((*path, bound), "Must be between 0 and 6000."))
    return problems
