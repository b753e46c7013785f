"""The recap of a daily challenge's day, as one message in the day's thread.

Every solution is behind a spoiler, so nobody reads one by accident: a spoiler code block when
the whole message fits Discord's 2,000 characters, else (the longest first) a `SPOILER_`
attachment, which Discord blurs until clicked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import discord

from bot.command_mentions import Mentions
from bot.render.text import CONTENT_LIMIT, FENCE, clip, count
from core.recaps import Pick, Recap, SharedSolution

NAME_LIMIT = 60
FILE_STEM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class RecapFile:
    """An attached solution: its file name (without the spoiler prefix) and code."""

    filename: str
    code: str


@dataclass(frozen=True, slots=True)
class RecapMessage:
    """The recap's text and the solutions attached to it."""

    content: str
    files: tuple[RecapFile, ...]


@dataclass(frozen=True, slots=True)
class _Part:
    heading: str
    code: str
    filename: str


def recap_marker(day: date) -> str:
    """The first line of a day's recap; finding it in the thread proves the recap was sent."""
    return f"📚 **Recap of the daily challenge of {day.isoformat()}**"


def spoiler_block(code: str) -> str:
    """`code` in a Python code block behind a spoiler."""
    safe = code.replace(FENCE, "`\u200b``").rstrip("\n")
    return f"||{FENCE}py\n{safe}\n{FENCE}||"


def _stem(text: str) -> str:
    return FILE_STEM.sub("-", text.lower()).strip("-")[:40] or "solution"


def _heading(solution: SharedSolution) -> str:
    author = discord.utils.escape_markdown(clip(solution.author, NAME_LIMIT))
    match solution.pick:
        case Pick.SHORTEST:
            measure = count(solution.length, "character")
        case Pick.FASTEST:
            measure = f"{solution.time_ms} ms" if solution.time_ms is not None else "untimed"
        case Pick.FIRST:
            measure = "first of the day"
    return f"**{solution.pick.value.capitalize()}** · by {author} ({measure}):"


def recap_message(recap: Recap, mentions: Mentions) -> RecapMessage:
    """The recap of `recap`'s day: the reference solution and the shared ones, each behind a
    spoiler, within Discord's content limit."""
    head = [
        recap_marker(recap.day),
        f"The day of **{discord.utils.escape_markdown(recap.task_title)}** is over. Spoilers "
        "below: open them once you have tried.",
    ]
    parts = [_Part("Reference solution:", recap.reference, f"reference-{recap.task_slug}")]
    parts += [
        _Part(_heading(s), s.code, f"{s.pick.value.split()[0]}-{_stem(s.author)}")
        for s in recap.solutions
    ]
    if recap.solutions:
        tail = "Shared by learners who agreed to show their accepted code. Thank you!"
    else:
        tail = (
            "Nobody shared an accepted solution this time. Tick **Share my accepted solution** "
            f"in the code box of {mentions('submit')} to be shown here next time."
        )
    attached: set[int] = set()
    while True:
        content = _compose(head, parts, attached, tail)
        if len(content) <= CONTENT_LIMIT or len(attached) == len(parts):
            break
        inline = [i for i in range(len(parts)) if i not in attached]
        attached.add(max(inline, key=lambda i: len(parts[i].code)))
    files = tuple(RecapFile(f"{parts[i].filename}.py", parts[i].code) for i in sorted(attached))
    return RecapMessage(clip(content, CONTENT_LIMIT), files)


def _compose(head: list[str], parts: list[_Part], attached: set[int], tail: str) -> str:
    lines = list(head)
    for index, part in enumerate(parts):
        if index in attached:
            lines.append(f"{part.heading} attached as `{part.filename}.py` (spoiler).")
        else:
            lines.extend((part.heading, spoiler_block(part.code)))
    lines.append(tail)
    return "\n".join(lines)
