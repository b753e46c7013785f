"""Markdown that Discord does not render, rewritten into what it does: tables.

Discord shows a Markdown table as raw pipes. A narrow table becomes a code block with aligned
columns (inline code and bold marks dropped, as a code block would show them raw); a table too
wide for a phone's code block becomes a list, one row per line, where Markdown still renders.
"""

from __future__ import annotations

import re

FENCE = "```"
#: the widest aligned table kept as a code block (wider ones wrap on phones)
CODE_TABLE_WIDTH = 48
_DELIMITER_CELL = re.compile(r"^:?-+:?$")
_INLINE_MARKS = re.compile(r"\*\*|`")


def _cells(line: str) -> list[str] | None:
    """The cells of a table row (`| a | b |`), or None for a line that is not one."""
    text = line.strip()
    if not text.startswith("|") or not text.endswith("|") or len(text) < 2:
        return None
    return [cell.strip() for cell in text[1:-1].split("|")]


def _is_delimiter(cells: list[str]) -> bool:
    return all(_DELIMITER_CELL.match(cell) for cell in cells)


def _as_code(header: list[str], rows: list[list[str]]) -> list[str] | None:
    """The table as an aligned code block, or None when it is too wide for one."""
    table = [[_INLINE_MARKS.sub("", cell) for cell in row] for row in [header, *rows]]
    widths = [max(len(row[i]) if i < len(row) else 0 for row in table) for i in range(len(header))]
    if sum(widths) + 2 * (len(widths) - 1) > CODE_TABLE_WIDTH:
        return None
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)).rstrip()
        for row in table
    ]
    rule = "  ".join("-" * width for width in widths)
    return [FENCE, lines[0], rule, *lines[1:], FENCE]


def _as_list(header: list[str], rows: list[list[str]]) -> list[str]:
    """The table as a list: each row's first cell, then the others named by their column."""
    lines = []
    for row in rows:
        rest = [f"{name}: {cell}" for name, cell in zip(header[1:], row[1:], strict=False) if cell]
        lines.append(f"- {row[0]}" + (f" — {'; '.join(rest)}" if rest else ""))
    return lines


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return _as_code(header, rows) or _as_list(header, rows)


def render_tables(text: str) -> str:
    """`text` with every Markdown table (outside code blocks) rewritten for Discord."""
    lines = text.split("\n")
    out: list[str] = []
    in_code = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.strip().startswith(FENCE):
            in_code = not in_code
        header = None if in_code else _cells(line)
        below = _cells(lines[index + 1]) if header and index + 1 < len(lines) else None
        if header is None or below is None or not _is_delimiter(below):
            out.append(line)
            index += 1
            continue
        index += 2
        rows = []
        while index < len(lines) and (row := _cells(lines[index])) is not None:
            rows.append(row)
            index += 1
        out.extend(_table(header, rows))
    return "\n".join(out)


def _normalized(text: str) -> str:
    """Text as an output comparison sees it: trailing spaces and blank lines dropped."""
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n")).rstrip()


def code_blocks(text: str) -> set[str]:
    """The contents of the fenced code blocks in `text` (normalized), e.g. its examples."""
    blocks: set[str] = set()
    current: list[str] | None = None
    for line in text.split("\n"):
        if line.strip().startswith(FENCE):
            if current is None:
                current = []
            else:
                blocks.add(_normalized("\n".join(current)))
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def shows(text: str, shown: str) -> bool:
    """Whether `text` already shows `shown` in one of its code blocks."""
    return _normalized(shown) in code_blocks(text)


def close_fences(text: str) -> str:
    """`text` with a code block left open (by clipping) closed again."""
    fences = sum(line.strip().startswith(FENCE) for line in text.split("\n"))
    return f"{text}\n{FENCE}" if fences % 2 else text
