"""Where a wrong answer differs, as embed text: the spot, and both outputs numbered around it."""

from __future__ import annotations

from bot.render.text import code_block
from sandbox import Difference, DiffUnit, Excerpt, visible_whitespace

#: how the differing line is marked among its neighbours
MARK = "»"
SHOWN_ITEM = 40
WHITESPACE_KEY = "Only whitespace differs: spaces show as ·, tabs as →, line ends as ⏎."
END_OF_OUTPUT = "(end of output)"


def difference_summary(difference: Difference) -> str:
    """One or two sentences naming the first differing line, token or value."""
    if difference.unit is DiffUnit.LINE:
        text = _line_summary(difference)
        return f"{text}\n{WHITESPACE_KEY}" if difference.whitespace else text
    name = "Token" if difference.unit is DiffUnit.TOKEN else "Value"
    expected = _item(difference.expected_item, "no more")
    actual = _item(difference.actual_item, "nothing more")
    where = "" if difference.actual.ended else f" (line {difference.actual.line} of your output)"
    allowed = (
        f" Numbers may differ by {difference.tolerance:g}."
        if difference.unit is DiffUnit.VALUE and difference.tolerance is not None
        else ""
    )
    return (
        f"{name} {difference.position}{where} differs: expected {expected}, got {actual}.{allowed}"
    )


def numbered_excerpt(excerpt: Excerpt, whitespace: bool) -> str:
    """The excerpt's lines in a code block, numbered, the differing one marked with »."""
    width = len(str(excerpt.first_line + len(excerpt.lines)))
    rows = []
    for offset, line in enumerate(excerpt.lines):
        mark = MARK if offset == excerpt.at else " "
        shown = visible_whitespace(line) if whitespace else line
        rows.append(f"{mark} {excerpt.first_line + offset:>{width}} │ {shown}")
    if excerpt.ended:
        rows.append(f"{MARK} {'':>{width}} │ {END_OF_OUTPUT}")
    return code_block("\n".join(rows))


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


def _item(item: str | None, missing: str) -> str:
    """A token in inline code (clipped, backticks kept harmless), or `missing`."""
    if item is None:
        return missing
    shown = item if len(item) <= SHOWN_ITEM else item[: SHOWN_ITEM - 1] + "…"
    safe = shown.replace("``", "`\u200b`")
    return f"`` {safe} ``"
