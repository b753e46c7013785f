"""One logging configuration for every entry point: readable lines or JSON lines.

Every record logged while a submission is handled carries its id (`submission_id`), whichever
module logs it, so that one submission's story can be followed through bot, flow and sandbox.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Literal

_submission: ContextVar[int | None] = ContextVar("submission_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s:%(submission)s %(message)s"


@contextlib.contextmanager
def submission_context(submission_id: int) -> Iterator[None]:
    """Tag every log record inside the block with a submission id."""
    token = _submission.set(submission_id)
    try:
        yield
    finally:
        _submission.reset(token)


class _SubmissionFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        current = _submission.get()
        record.submission_id = current
        record.submission = f" [submission {current}]" if current is not None else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line with time, level, logger, message and submission id."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        submission_id = getattr(record, "submission_id", None)
        if submission_id is not None:
            entry["submission_id"] = submission_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "INFO", style: Literal["text", "json"] = "text") -> None:
    """Configure the root logger once: readable lines (default) or JSON lines on stderr."""
    handler = logging.StreamHandler()
    handler.addFilter(_SubmissionFilter())
    handler.setFormatter(
        JsonFormatter() if style == "json" else logging.Formatter(TEXT_FORMAT, "%Y-%m-%d %H:%M:%S")
    )
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
