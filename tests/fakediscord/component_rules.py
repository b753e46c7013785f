"""Discord's limits on message components: action rows, buttons and select menus."""

from __future__ import annotations

from typing import Any

from .errors import FormProblem, bad_value, check_length
from .models import iter_components

Path = tuple[str | int, ...]

ACTION_ROW = 1
BUTTON = 2
SELECT_TYPES = (3, 5, 6, 7, 8)
LINK_BUTTON = 5
PREMIUM_BUTTON = 6
MAX_ROWS = 5
MAX_BUTTONS_PER_ROW = 5
MAX_V2_COMPONENTS = 40


def check_message_components(components: list[Any], *, v2: bool) -> list[FormProblem]:
    """Problems with a message's ``components`` (classic rows, or the v2 layout when flagged)."""
    problems: list[FormProblem] = []
    if v2:
        problems += check_length(("components",), iter_components(components), MAX_V2_COMPONENTS)
    else:
        problems += check_length(("components",), components, MAX_ROWS)
        for index, row in enumerate(components):
            if row.get("type") != ACTION_ROW:
                problems.append(bad_value(("components", index, "type"), "Must be an action row."))
    problems += _check_tree(components, ("components",))
    problems += _check_unique_custom_ids(components)
    return problems


def _check_tree(components: list[Any], path: Path) -> list[FormProblem]:
    problems: list[FormProblem] = []
    for index, component in enumerate(components):
        here = (*path, index)
        if component.get("type") == ACTION_ROW:
            problems += _check_row(component, here)
        else:
            problems += _check_item(component, here)
            problems += _check_tree(list(component.get("components", [])), (*here, "components"))
    return problems


def _check_item(component: dict[str, Any], path: Path) -> list[FormProblem]:
    kind = component.get("type")
    if kind == BUTTON:
        return _check_button(component, path)
    if kind in SELECT_TYPES:
        return _check_select(component, path)
    return []


def _check_row(row: dict[str, Any], path: Path) -> list[FormProblem]:
    children = list(row.get("components", []))
    problems: list[FormProblem] = []
    if not children:
        problems.append(bad_value((*path, "components"), "Action rows must not be empty."))
    kinds = {child.get("type") for child in children}
    if kinds & set(SELECT_TYPES) and len(children) > 1:
        problems.append(bad_value((*path, "components"), "A select menu must be alone in its row."))
    problems += check_length((*path, "components"), children, MAX_BUTTONS_PER_ROW)
    for index, child in enumerate(children):
        here = (*path, "components", index)
        if child.get("type") != BUTTON and child.get("type") not in SELECT_TYPES:
            problems.append(bad_value((*here, "type"), "Rows may hold only buttons or a select."))
        problems += _check_item(child, here)
    return problems


def _check_button(button: dict[str, Any], path: Path) -> list[FormProblem]:
    problems = check_length((*path, "label"), button.get("label"), 80)
    style = button.get("style")
    if style == LINK_BUTTON:
        if not button.get("url"):
            problems.append(bad_value((*path, "url"), "Link buttons need a url."))
    elif style != PREMIUM_BUTTON:
        problems += _check_custom_id(button, path)
    if style not in range(1, 7):
        problems.append(bad_value((*path, "style"), "Button style must be 1 to 6."))
    return problems


def _check_select(select: dict[str, Any], path: Path) -> list[FormProblem]:
    problems = _check_custom_id(select, path)
    problems += check_length((*path, "placeholder"), select.get("placeholder"), 150)
    min_values = int(select.get("min_values", 1))
    max_values = int(select.get("max_values", 1))
    if not 0 <= min_values <= 25 or not 1 <= max_values <= 25 or min_values > max_values:
        problems.append(bad_value((*path, "max_values"), "min/max values must be 0-25, min<=max."))
    if select.get("type") == 3:
        options = list(select.get("options", []))
        problems += check_length((*path, "options"), options, 25)
        if not options:
            problems.append(bad_value((*path, "options"), "A string select needs options."))
        if max_values > len(options) > 0:
            problems.append(bad_value((*path, "max_values"), "max_values exceeds the options."))
        for index, option in enumerate(options):
            for key in ("label", "value", "description"):
                problems += check_length((*path, "options", index, key), option.get(key), 100)
    return problems


def _check_custom_id(component: dict[str, Any], path: Path) -> list[FormProblem]:
    custom_id = component.get("custom_id")
    if not isinstance(custom_id, str) or not custom_id:
        return [bad_value((*path, "custom_id"), "This field is required.")]
    return check_length((*path, "custom_id"), custom_id, 100)


def _check_unique_custom_ids(components: list[Any]) -> list[FormProblem]:
    seen: set[str] = set()
    for component in iter_components(components):
        custom_id = component.get("custom_id")
        if custom_id is None:
            continue
        if custom_id in seen:
            return [bad_value(("components",), f"Component custom id {custom_id!r} duplicated.")]
        seen.add(custom_id)
    return []
