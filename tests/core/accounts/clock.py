"""Moving the clock of signed tokens forward, to see links expire without waiting."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest


def advance_token_clock(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Make itsdangerous (and only it) believe `seconds` have passed."""
    monkeypatch.setattr(
        "itsdangerous.timed.time", SimpleNamespace(time=lambda: time.time() + seconds)
    )
