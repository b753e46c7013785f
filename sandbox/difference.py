"""Where a program's output first differs from the expected one, located by the comparison.

The detail is small and bounded (a few clipped lines of each output around the spot), so it
travels with a graded test to the bot and the site and is stored with the submission, while the
full outputs may be far longer than what either keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

#: lines of context shown before and after the differing line
CONTEXT_LINES = 2
#: characters of one line shown, and how many of them come before the differing column
WINDOW = 60
WINDOW_LEAD = 20
ELLIPSIS = "…"
#: how whitespace is drawn when it is the difference
VISIBLE = {" ": "·", "\t": "→"}
LINE_END = "⏎"


class DiffUnit(StrEnum):
    """What the comparison counts: lines (`exact`), tokens (`tokens`), values (`float`) or
    the calls of a call test."""

    LINE = "line"
    TOKEN = "token"
    VALUE = "value"
    CALL = "call"


class Excerpt(BaseModel):
    """Lines of one output around the difference, each clipped to the same column window.

    `at` is the index in `lines` of the differing line; `len(lines)` when the output ended
    before it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    first_line: int
    lines: tuple[str, ...]
    at: int

    @property
    def line(self) -> int:
        """The 1-based number of the differing line in this output."""
        return self.first_line + self.at

    @property
    def ended(self) -> bool:
        """True when this output ended before the differing line."""
        return self.at >= len(self.lines)


class Difference(BaseModel):
    """The first difference between a program's output and the expected output.

    `position` is the 1-based number of the differing line, token or value; `expected_item`
    and `actual_item` the differing token or value (None for lines, or when that output has no
    more); `whitespace` tells that only whitespace differs, so it should be shown.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: DiffUnit
    position: int
    expected: Excerpt
    actual: Excerpt
    expected_item: str | None = None
    actual_item: str | None = None
    whitespace: bool = False
    tolerance: float | None = None


def line_difference(actual: list[str], expected: list[str]) -> Difference:
    """The first differing line of two (normalized) outputs known to differ."""
    index = next(
        (i for i, (a, e) in enumerate(zip(actual, expected, strict=False)) if a != e),
        min(len(actual), len(expected)),
    )
    a_line = actual[index] if index < len(actual) else ""
    e_line = expected[index] if index < len(expected) else ""
    column = _common_prefix(a_line, e_line)
    whitespace = _squeezed(a_line) == _squeezed(e_line) or _squeezed("\n".join(actual)) == (
        _squeezed("\n".join(expected))
    )
    return Difference(
        unit=DiffUnit.LINE,
        position=index + 1,
        expected=excerpt(expected, index, column),
        actual=excerpt(actual, index, column),
        whitespace=whitespace,
    )


def token_difference(
    actual: str,
    expected: str,
    same: Callable[[str, str], bool],
    unit: DiffUnit,
    tolerance: float | None = None,
) -> Difference:
    """The first token of `actual` that is not `same` as the expected one (outputs known to
    differ in their tokens or their number of tokens)."""
    a_tokens = _located_tokens(actual)
    e_tokens = _located_tokens(expected)
    index = next(
        (
            i
            for i, (a, e) in enumerate(zip(a_tokens, e_tokens, strict=False))
            if not same(a[0], e[0])
        ),
        min(len(a_tokens), len(e_tokens)),
    )
    return Difference(
        unit=unit,
        position=index + 1,
        expected=_token_excerpt(expected, e_tokens, index),
        actual=_token_excerpt(actual, a_tokens, index),
        expected_item=e_tokens[index][0] if index < len(e_tokens) else None,
        actual_item=a_tokens[index][0] if index < len(a_tokens) else None,
        tolerance=tolerance,
    )


def excerpt(lines: Sequence[str], index: int, column: int) -> Excerpt:
    """Lines `index` ± CONTEXT_LINES of `lines`, clipped to a window around `column`."""
    first = max(0, index - CONTEXT_LINES)
    start = max(0, column - WINDOW_LEAD)
    shown = tuple(_window(line, start) for line in lines[first : index + CONTEXT_LINES + 1])
    return Excerpt(first_line=first + 1, lines=shown, at=min(index, len(lines)) - first)


def visible_whitespace(line: str) -> str:
    """`line` with spaces as ·, tabs as →, other whitespace (a no-break space…) as its Python
    escape, and its end as ⏎."""
    return "".join(_visible(c) for c in line) + LINE_END


def _visible(char: str) -> str:
    """How one character of a line is drawn when whitespace is shown."""
    if char in VISIBLE:
        return VISIBLE[char]
    return repr(char)[1:-1] if char.isspace() else char


def _window(line: str, start: int) -> str:
    """`line` from column `start`, at most WINDOW characters, marked where it was cut."""
    shown = line[start : start + WINDOW]
    head = ELLIPSIS if start > 0 and line else ""
    tail = ELLIPSIS if len(line) > start + WINDOW else ""
    return f"{head}{shown}{tail}"


def _common_prefix(first: str, second: str) -> int:
    """How many leading characters `first` and `second` share."""
    return next(
        (i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b),
        min(len(first), len(second)),
    )


def _squeezed(text: str) -> str:
    """`text` without any whitespace."""
    return "".join(text.split())


def _located_tokens(text: str) -> list[tuple[str, int, int]]:
    """Each whitespace-separated token of `text` with its line index and column."""
    located = []
    for number, line in enumerate(text.splitlines()):
        column = 0
        for token in line.split():
            column = line.index(token, column)
            located.append((token, number, column))
            column += len(token)
    return located


def _token_excerpt(text: str, tokens: list[tuple[str, int, int]], index: int) -> Excerpt:
    """The lines of `text` around its token `index` (or its end, when it has fewer)."""
    lines = [line.rstrip() for line in text.splitlines()]
    if index < len(tokens):
        _, line, column = tokens[index]
        return excerpt(lines, line, column)
    last = tokens[-1][1] + 1 if tokens else 0
    return excerpt(lines[:last], last, 0)
