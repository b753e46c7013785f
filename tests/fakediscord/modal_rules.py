"""Discord's limits on modals (interaction response type 9) and autocomplete results (type 8)."""

from __future__ import annotations

from typing import Any

from .errors import FormProblem, bad_value, check_length

Path = tuple[str | int, ...]

ACTION_ROW = 1
TEXT_INPUT = 4
TEXT_DISPLAY = 10
LABEL = 18
CHECKBOX = 23
#: selects, text inputs, file uploads, radio groups, checkbox groups and checkboxes
LABEL_CHILD_TYPES = (3, 4, 5, 6, 7, 8, 19, 21, 22, CHECKBOX)
MAX_TEXT = 4000


def modal_problems(modal: dict[str, Any]) -> list[FormProblem]:
    """Every limit the modal breaks (paths are relative to the callback's ``data``)."""
    problems = _required_text(("data", "title"), modal.get("title"), 45)
    problems += _required_text(("data", "custom_id"), modal.get("custom_id"), 100)
    components = list(modal.get("components") or [])
    if not 1 <= len(components) <= 5:
        problems.append(bad_value(("data", "components"), "Modals need 1 to 5 components."))
    for index, component in enumerate(components):
        problems += _top_level_problems(component, ("data", "components", index))
    return problems


def autocomplete_problems(data: dict[str, Any]) -> list[FormProblem]:
    """Every limit an autocomplete result breaks: at most 25 choices, names and values ≤ 100."""
    choices = list(data.get("choices") or [])
    problems = check_length(("data", "choices"), choices, 25)
    for index, choice in enumerate(choices):
        problems += _required_text(("data", "choices", index, "name"), choice.get("name"), 100)
        problems += check_length(("data", "choices", index, "value"), choice.get("value"), 100)
    return problems


def _top_level_problems(component: dict[str, Any], path: Path) -> list[FormProblem]:
    kind = component.get("type")
    if kind == ACTION_ROW:
        children = list(component.get("components") or [])
        if len(children) != 1 or children[0].get("type") != TEXT_INPUT:
            return [bad_value((*path, "components"), "Rows in modals hold exactly one text input.")]
        return _text_input_problems(children[0], (*path, "components", 0), needs_label=True)
    if kind == LABEL:
        child = component.get("component") or {}
        problems = _required_text((*path, "label"), component.get("label"), 45)
        problems += check_length((*path, "description"), component.get("description"), 100)
        if child.get("type") not in LABEL_CHILD_TYPES:
            problems.append(bad_value((*path, "component"), "Unsupported component in a label."))
        elif child.get("type") == TEXT_INPUT:
            problems += _text_input_problems(child, (*path, "component"), needs_label=False)
        elif child.get("type") == CHECKBOX:
            problems += _checkbox_problems(child, (*path, "component"))
        return problems
    if kind == TEXT_DISPLAY:
        return _required_text((*path, "content"), component.get("content"), MAX_TEXT)
    return [bad_value((*path, "type"), f"Component type {kind} is not allowed in modals.")]


def _checkbox_problems(checkbox: dict[str, Any], path: Path) -> list[FormProblem]:
    problems = _required_text((*path, "custom_id"), checkbox.get("custom_id"), 100)
    if not isinstance(checkbox.get("default", False), bool):
        problems.append(bad_value((*path, "default"), "Must be a boolean."))
    return problems


def _text_input_problems(
    text_input: dict[str, Any], path: Path, *, needs_label: bool
) -> list[FormProblem]:
    problems = _required_text((*path, "custom_id"), text_input.get("custom_id"), 100)
    if needs_label:
        problems += _required_text((*path, "label"), text_input.get("label"), 45)
    if text_input.get("style") not in (1, 2):
        problems.append(bad_value((*path, "style"), "Text input style must be 1 or 2."))
    min_length = text_input.get("min_length", 0)
    max_length = text_input.get("max_length", MAX_TEXT)
    if not 0 <= min_length <= MAX_TEXT:
        problems.append(bad_value((*path, "min_length"), f"Must be between 0 and {MAX_TEXT}."))
    if not 1 <= max_length <= MAX_TEXT:
        problems.append(bad_value((*path, "max_length"), f"Must be between 1 and {MAX_TEXT}."))
    if min_length > max_length:
        problems.append(bad_value((*path, "min_length"), "min_length exceeds max_length."))
    problems += check_length((*path, "value"), text_input.get("value"), min(max_length, MAX_TEXT))
    problems += check_length((*path, "placeholder"), text_input.get("placeholder"), 100)
    return problems


def _required_text(path: Path, value: object, limit: int) -> list[FormProblem]:
    if not isinstance(value, str) or not value:
        return [bad_value(path, "This field is required.")]
    return check_length(path, value, limit)
