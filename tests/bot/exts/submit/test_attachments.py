"""What is graded from a code file: a `.py` as it is, a `.txt` (message.txt) by its code block."""

from __future__ import annotations

from bot.exts.submit._attachments import code_of_file, is_code_file
from bot.exts.submit._codeblock import UNCLOSED_HINT, FoundCode


def test_code_files_by_name() -> None:
    assert [is_code_file(n) for n in ("a.py", "B.PY", "message.txt", "x.pdf", "py")] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_text_files_give_their_code_block_else_their_text() -> None:
    assert code_of_file("s.py", b"```\nx\n```") == FoundCode(b"```\nx\n```")
    assert code_of_file("message.txt", b"mine:\n```py\nx = 1\n```") == FoundCode("x = 1\n")
    assert code_of_file("message.txt", b"```py\nx = 1\n") == FoundCode("x = 1\n", UNCLOSED_HINT)
    assert code_of_file("notes.txt", b"x = 1\n") == FoundCode(b"x = 1\n")
    assert code_of_file("notes.txt", b"\xff```") == FoundCode(b"\xff```")
