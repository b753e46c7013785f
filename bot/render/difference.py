"""Where a wrong answer differs, as embed text: the spot, and both outputs numbered around it."""

from __future__ import annotations

from bot.render.text import code_block
from core.submissions.differences import numbered, summary
from sandbox import Difference, Excerpt


def difference_summary(difference: Difference) -> str:
    """The sentence naming the first differing line, token or value, tokens in inline code."""
    return summary(difference, _inline_code)


def numbered_excerpt(excerpt: Excerpt, whitespace: bool) -> str:
    """The excerpt's numbered lines in a code block."""
    return code_block(numbered(excerpt, whitespace))


def _inline_code(token: str) -> str:
    """`token` in inline code that its own backticks cannot close early."""
    safe = token.replace("``", "`\u200b`")
    return f"`` {safe} ``"
