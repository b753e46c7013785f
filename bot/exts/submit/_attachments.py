"""Code sent as a file: a `.py`, a `.txt`, or the `message.txt` Discord makes of a long paste.

A pasted message too long for Discord arrives as `message.txt` holding exactly what was typed,
code fences included, so a text file's code block is taken when it has one.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.exts.submit._codeblock import FoundCode, first_code_block

CODE_SUFFIXES = (".py", ".txt")
HOW_TO_ATTACH = "Attach a `.py` or `.txt` file, or paste the code and send it as `message.txt`."


def is_code_file(filename: str) -> bool:
    """Whether a file of that name may hold a solution."""
    return filename.lower().endswith(CODE_SUFFIXES)


def first_code_file(attachments: Sequence[discord.Attachment]) -> discord.Attachment | None:
    """The first attachment that may hold a solution."""
    return next((a for a in attachments if is_code_file(a.filename)), None)


def code_of_file(filename: str, raw: bytes) -> FoundCode:
    """What to grade from a downloaded file: a text file's code block when it has one, else the
    raw bytes (decoded, and refused with a clear message if not UTF-8, by the submission)."""
    if not filename.lower().endswith(".txt"):
        return FoundCode(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return FoundCode(raw)
    return first_code_block(text) or FoundCode(raw)
