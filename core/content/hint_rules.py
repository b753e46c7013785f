"""What a task's hints may say: distinct nudges that never hand over the reference solution.

A hint repeats the solution when it holds `LEAK_LINES` consecutive non-trivial lines of it (or
the whole of a shorter solution), compared without spaces, indentation or backticks, so that
neither reformatting nor Markdown hides a copied block.
"""

from __future__ import annotations

#: consecutive non-trivial lines of the reference solution a hint may not repeat
LEAK_LINES = 3
#: lines shorter than this (spaces removed), such as `else:` or `return x`, are trivial
TRIVIAL_CHARS = 8


def _squeezed(line: str) -> str:
    """A line without whitespace or backticks, as compared."""
    return "".join(line.replace("`", " ").split())


def _code_lines(text: str) -> list[tuple[int, str]]:
    """(line number, squeezed line) of the lines that hold code: not blank, not a comment."""
    lines = ((number, _squeezed(line)) for number, line in enumerate(text.splitlines(), 1))
    return [(number, line) for number, line in lines if line and not line.startswith("#")]


def repeated_lines(hint: str, solution: str) -> tuple[int, int] | None:
    """The first and last line numbers of a stretch of `solution` that `hint` repeats
    verbatim, or None when it repeats none."""
    lines = _code_lines(solution)
    key = [i for i, (_, line) in enumerate(lines) if len(line) >= TRIVIAL_CHARS]
    key = key or list(range(len(lines)))
    span = min(LEAK_LINES, len(key))
    if not span:
        return None
    text = "\n".join(line for _, line in _code_lines(hint))
    for first, last in zip(key, key[span - 1 :], strict=False):
        stretch = lines[first : last + 1]
        if "\n".join(line for _, line in stretch) in text:
            return stretch[0][0], stretch[-1][0]
    return None


def _key(hint: str) -> str:
    """A hint as compared for repeats: spacing and case do not make a new hint."""
    return " ".join(hint.split()).casefold()


def hint_problems(hints: list[str], solution: str) -> list[tuple[int, str]]:
    """(index, reason) for each hint that repeats an earlier one or gives the solution away."""
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for index, hint in enumerate(hints):
        earlier = seen.setdefault(_key(hint), index)
        if earlier != index:
            problems.append((index, f"repeats hint {earlier + 1}; each hint should add something"))
            continue
        repeated = repeated_lines(hint, solution)
        if repeated is not None:
            first, last = repeated
            where = f"line {first}" if first == last else f"lines {first}-{last}"
            problems.append(
                (
                    index,
                    f"repeats {where} of the reference solution; a hint nudges toward the "
                    "answer without giving it",
                )
            )
    return problems
