"""Finding the code and the task in a chat message, the way people actually type code blocks.

Discord renders ```` ```code``` ```` on one line, any language tag, and so do learners; phones and
some keyboards give `´´´` or `‘‘‘` instead of backticks, and a block is easily left open. Each of
those still yields the code, with a hint when the block would not render as code in Discord.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: an opening fence, an optional language tag alone on its line, the code, the closing fence
BLOCK = re.compile(r"```(?:(?P<lang>[^\s`]*)[ \t]*\n)?(?P<code>.*?)```", re.DOTALL)
OPEN_FENCE = re.compile(r"```(?:[^\s`]*[ \t]*\n)?")
#: characters typed for backticks by other keyboards: acute, quotes, modifier grave, fullwidth
LOOKALIKE_FENCE = re.compile(r"[´‘’'ˋ｀‵]{3}")
PYTHON_TAGS = {"", "py", "python", "python3", "py3"}
#: `py print(1)` in a one-line block: the tag a learner meant to put on its own line
INLINE_TAG = re.compile(r"(?:py|python3?|py3)[ \t]+(?=\S)", re.IGNORECASE)

LOOKALIKE_HINT = (
    "Tip: your code block used look-alike quotes instead of backticks (```), so Discord did "
    "not show it as code. The backtick key is left of 1 on most keyboards."
)
UNCLOSED_HINT = "Tip: your code block was not closed; end it with ``` on a line of its own."
INLINE_TAG_HINT = "Tip: put the language on the line of the opening ```, the code below it."


@dataclass(frozen=True)
class FoundCode:
    """Code found in a message or file (bytes: not decoded yet), and a hint when its block was
    malformed."""

    code: str | bytes
    hint: str | None = None


def first_code_block(text: str) -> FoundCode | None:
    """The code of the first Python (or untagged) block in `text`, else of its first block of
    any language; look-alike fences and an unclosed last block are recognised with a hint."""
    text = text.replace("\r\n", "\n")
    found = _fenced(text)
    if found is not None:
        return found
    if LOOKALIKE_FENCE.search(text):
        repaired = _fenced(LOOKALIKE_FENCE.sub("```", text))
        if repaired is not None:
            return FoundCode(repaired.code, LOOKALIKE_HINT)
    opening = OPEN_FENCE.search(text)
    if opening is not None and text[opening.end() :].strip():
        return FoundCode(text[opening.end() :], UNCLOSED_HINT)
    return None


def _fenced(text: str) -> FoundCode | None:
    blocks = [m for m in BLOCK.finditer(text) if m.group("code").strip()]
    if not blocks:
        return None
    python = [m for m in blocks if (m.group("lang") or "").strip().lower() in PYTHON_TAGS]
    chosen = (python or blocks)[0]
    code = chosen.group("code")
    one_line = chosen.group("lang") is None and "\n" not in code.strip()
    tag = INLINE_TAG.match(code.strip()) if one_line else None
    if tag is not None:
        return FoundCode(code.strip()[tag.end() :] + "\n", INLINE_TAG_HINT)
    return FoundCode(code.strip() + "\n" if one_line else code)


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
