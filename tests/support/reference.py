"""Running a task's reference solution in this process: it is project content, not learner code."""

from __future__ import annotations

import contextlib
import io
from unittest import mock


def run_reference(code: str, stdin: str) -> str:
    """Execute `code` in a fresh namespace with `stdin` as standard input; return its output."""
    out = io.StringIO()
    with mock.patch("sys.stdin", io.StringIO(stdin)), contextlib.redirect_stdout(out):
        exec(compile(code, "<reference>", "exec"), {"__name__": "__main__"})
    return out.getvalue()
