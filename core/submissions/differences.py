"""Where a wrong answer differs, as text for people: the same words on Discord and the site.

The comparison (`sandbox.Difference`) locates the spot; this names it and numbers both outputs'
lines around it, whitespace made visible when only whitespace differs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sandbox import Difference, DiffUnit, Excerpt, visible_whitespace

#: how the differing line is marked among its neighbours
MARK = "»"
SHOWN_ITEM = 40
WHITESPACE_KEY = "Only whitespace differs: spaces show as ·, tabs as →, line ends as ⏎."
END_OF_OUTPUT = "(end of output)"


def summary(difference: Difference, quote: Callable[[str], str]) -> str:
    """One or two sentences naming the first differing line, token or value; `quote` sets a
    token apart (inline code on Discord)."""
    if difference.unit is DiffUnit.LINE:
        text = _line_summary(difference)
        return f"{text}\n{WHITESPACE_KEY}" if difference.whitespace else text
    expected = _item(difference.expected_item, "no more", quote)
    actual = _item(difference.actual_item, "nothing more", quote)
    if difference.unit is DiffUnit.CALL:
        allowed = f" Floats may differ by {difference.tolerance:g}." if difference.tolerance else ""
        return (
            f"Call {difference.position} (marked ») gave a different result: expected "
            f"{expected}, got {actual}.{allowed}"
        )
    name = "Token" if difference.unit is DiffUnit.TOKEN else "Value"
    where = "" if difference.actual.ended else f" (line {difference.actual.line} of your output)"
    allowed = (
        f" Numbers may differ by {difference.tolerance:g}."
        if difference.unit is DiffUnit.VALUE and difference.tolerance is not None
        else ""
    )
    return (
        f"{name} {difference.position}{where} differs: expected {expected}, got {actual}.{allowed}"
    )


def numbered(excerpt: Excerpt, whitespace: bool) -> str:
    """The excerpt's lines, numbered, the differing one (or the output's end) marked with »."""
    width = len(str(excerpt.first_line + len(excerpt.lines)))
    rows = []
    for offset, line in enumerate(excerpt.lines):
        mark = MARK if offset == excerpt.at else " "
        shown = visible_whitespace(line) if whitespace else line
        rows.append(f"{mark} {excerpt.first_line + offset:>{width}} │ {shown}")
    if excerpt.ended:
        rows.append(f"{MARK} {'':>{width}} │ {END_OF_OUTPUT}")
    return "\n".join(rows)


def first_difference(results: Sequence[dict[str, Any]] | None) -> Difference | None:
    """Where the first failing visible test of stored results differed (None when none did)."""
    failing = next((r for r in results or () if not r.get("passed") and not r.get("hidden")), None)
    detail = failing.get("difference") if failing else None
    return Difference.model_validate(detail) if detail else None


def _line_summary(difference: Difference) -> str:
    """Which line differs, or which output ended first."""
    if difference.actual.ended:
        return (
            f"Your output ends after line {difference.position - 1}; "
            f"line {difference.position} was expected."
        )
    if difference.expected.ended:
        return (
            f"Your output goes on after line {difference.position - 1}, "
            "where the expected output ends."
        )
    return f"Line {difference.position} is the first that differs."


def _item(item: str | None, missing: str, quote: Callable[[str], str]) -> str:
    """A token, clipped and quoted, or `missing`."""
    if item is None:
        return missing
    return quote(item if len(item) <= SHOWN_ITEM else item[: SHOWN_ITEM - 1] + "…")
