"""Variants of a test input: smaller ones (fewer lines, smaller numbers, shorter strings) and
ones with a space around a line (which a dropped `strip()` reads differently).

They are candidates for the smallest input on which a mutant and the reference disagree; the
reference decides which are valid (it must run cleanly on them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

#: inputs larger than this only lose lines: their numbers and strings are not tried one by one
MAX_DETAILED_BYTES = 4000
#: lines (or words of a line) small enough to try removing each one on its own
MAX_SINGLE_REMOVALS = 12
#: numbers of an input tried one by one
MAX_NUMBERS = 40
_NUMBER = re.compile(r"-?\d+")


def size(text: str) -> tuple[int, str]:
    """How large an input is, for ordering: bytes, then text."""
    return len(text.encode()), text


def candidates(sources: Iterable[str], limit: int) -> list[str]:
    """At most `limit` distinct variants of `sources`, smallest first."""
    originals = list(sources)
    found = {variant for source in originals for variant in (*shrunk(source), *padded(source))}
    found.difference_update(originals)
    return sorted(found, key=size)[:limit]


def shrunk(text: str) -> Iterator[str]:
    """Variants of one input, each smaller than it."""
    yield from _fewer_lines(text)
    if len(text.encode()) <= MAX_DETAILED_BYTES:
        yield from _fewer_words(text)
        yield from _smaller_numbers(text)
        yield from _shorter_lines(text)


def padded(text: str) -> Iterator[str]:
    """One line with a space before or after it (for inputs of a few lines)."""
    lines = text.splitlines()
    if len(lines) > MAX_SINGLE_REMOVALS:
        return
    for index, line in enumerate(lines):
        for changed in (f" {line}", f"{line} "):
            yield _join([*lines[:index], changed, *lines[index + 1 :]], text)


def _join(lines: list[str], like: str) -> str:
    return "\n".join(lines) + ("\n" if like.endswith("\n") else "")


def _kept_counts(total: int) -> list[int]:
    """How many of `total` items to keep: 1, 2, 3, 4, 6, 8, 12, 16, … below `total`."""
    counts: list[int] = []
    step = 1
    while step < total:
        counts.append(step)
        if step + step // 2 < total and step >= 4:
            counts.append(step + step // 2)
        step = step + 1 if step < 4 else step * 2
    return counts


def _count_positions(line: str, count: int) -> list[int]:
    """Which whitespace-separated tokens of `line` equal `count` (a header's item count)."""
    return [i for i, token in enumerate(line.split()) if token == str(count)]


def _with_token(line: str, position: int, value: str) -> str:
    tokens = line.split()
    tokens[position] = value
    return " ".join(tokens)


def _subsets(total: int) -> Iterator[list[int]]:
    """Index sets to keep: prefixes, then (for few items) all but one."""
    for kept in _kept_counts(total):
        yield list(range(kept))
    if total <= MAX_SINGLE_REMOVALS:
        for dropped in range(total):
            yield [i for i in range(total) if i != dropped]


def _fewer_lines(text: str) -> Iterator[str]:
    """Fewer lines; a first line that counts the others is kept in step."""
    lines = text.splitlines()
    if not lines:
        return
    header, body = lines[0], lines[1:]
    counted = _count_positions(header, len(body)) if body else []
    for kept in _subsets(len(body)):
        rows = [body[i] for i in kept]
        for position in counted:
            yield _join([_with_token(header, position, str(len(rows))), *rows], text)
    for kept in _subsets(len(lines)):
        yield _join([lines[i] for i in kept], text)


def _fewer_words(text: str) -> Iterator[str]:
    """Fewer words on one line; a count of them on the line before is kept in step."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        words = line.split()
        if len(words) < 2:
            continue
        previous = lines[index - 1] if index else ""
        counted = _count_positions(previous, len(words))
        for kept in _subsets(len(words)):
            row = " ".join(words[i] for i in kept)
            yield _join([*lines[:index], row, *lines[index + 1 :]], text)
            for position in counted:
                header = _with_token(previous, position, str(len(kept)))
                yield _join([*lines[: index - 1], header, row, *lines[index + 1 :]], text)


def _smaller_numbers(text: str) -> Iterator[str]:
    """One number made smaller: 0, 1, half of it, one less."""
    for match in list(_NUMBER.finditer(text))[:MAX_NUMBERS]:
        value = int(match.group())
        for smaller in {0, 1, value // 2 if value > 0 else -(-value // 2), value - (value > 0)}:
            if abs(smaller) < abs(value) or (smaller >= 0 > value):
                yield text[: match.start()] + str(smaller) + text[match.end() :]


def _shorter_lines(text: str) -> Iterator[str]:
    """One line made shorter: its first half, without its first or its last character."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if len(line) < 2:
            continue
        for shorter in (line[: len(line) // 2], line[1:], line[:-1]):
            yield _join([*lines[:index], shorter, *lines[index + 1 :]], text)
