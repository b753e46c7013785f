"""A cooldown per key: between a learner's submissions, between reports of one problem."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable


class Cooldown:
    """Lets each key act once per `period_s` seconds; a refused attempt does not count."""

    def __init__(self, period_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.period_s = period_s
        self._clock = clock
        self._last: dict[Hashable, float] = {}

    def acquire(self, key: Hashable) -> float:
        """0 when `key` may act now (and the cooldown starts), else the seconds left to wait."""
        now = self._clock()
        last = self._last.get(key)
        if last is not None and now - last < self.period_s:
            return self.period_s - (now - last)
        self._last[key] = now
        self._forget_expired(now)
        return 0.0

    def release(self, key: Hashable) -> None:
        """Undo the last `acquire` of `key` (the attempt was refused before grading)."""
        self._last.pop(key, None)

    def _forget_expired(self, now: float) -> None:
        if len(self._last) > 1024:
            self._last = {k: t for k, t in self._last.items() if now - t < self.period_s}
