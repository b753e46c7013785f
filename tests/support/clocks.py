"""Clocks tests control: a settable one for the submission flow, and the signed tokens' clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

#: when a test's clock starts unless it says otherwise: Monday 2026-05-04 at noon, UTC
MONDAY_NOON = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


class Clock:
    """A settable UTC clock, starting at `now` (Monday 2026-05-04 at noon by default)."""

    def __init__(self, now: datetime = MONDAY_NOON) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def advance_token_clock(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Make itsdangerous (and only it) believe `seconds` have passed."""
    monkeypatch.setattr(
        "itsdangerous.timed.time", SimpleNamespace(time=lambda: time.time() + seconds)
    )
