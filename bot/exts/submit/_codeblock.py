"""Finding the code and the task in a chat message."""

from __future__ import annotations

import re
from collections.abc import Iterable

BLOCK = re.compile(r"```(?P<lang>[^\n`]*)\n(?P<code>.*?)```", re.DOTALL)
PYTHON_TAGS = {"", "py", "python", "python3", "py3"}


def first_code_block(text: str) -> str | None:
    """The code of the first ```python (or plain ```) block in `text`, if any."""
    for match in BLOCK.finditer(text):
        if match.group("lang").strip().lower() in PYTHON_TAGS:
            return match.group("code")
    return None


def named_task(text: str, tasks: Iterable[tuple[str, str]]) -> str | None:
    """The slug of the task that the prose of `text` (code blocks aside) names, if exactly clear.

    A task is named by its slug or its title; the longest name found wins.
    """
    prose = BLOCK.sub(" ", text).lower()
    found = [
        (len(name), slug)
        for slug, title in tasks
        for name in (slug.lower(), title.lower())
        if len(name) >= 3 and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", prose)
    ]
    return max(found)[1] if found else None
