"""Clocks tests control: a settable one for the submission flow, and the signed tokens' clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest


class Clock:
    """A settable clock for the flow (UTC), starting on Monday 2026-05-04 at noon."""

    def __init__(self) -> None:
        self.now = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def advance_token_clock(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Make itsdangerous (and only it) believe `seconds` have passed."""
    monkeypatch.setattr(
        "itsdangerous.timed.time", SimpleNamespace(time=lambda: time.time() + seconds)
    )
