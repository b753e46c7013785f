"""The per-learner cooldown."""

from __future__ import annotations

from bot.cooldown import Cooldown


def test_cooldown_refuses_until_the_period_passed() -> None:
    now = [100.0]
    cooldown = Cooldown(10.0, clock=lambda: now[0])
    assert cooldown.acquire(1) == 0.0
    assert cooldown.acquire(1) == 10.0
    assert cooldown.acquire(2) == 0.0
    now[0] = 104.0
    assert cooldown.acquire(1) == 6.0
    cooldown.release(1)
    assert cooldown.acquire(1) == 0.0
    now[0] = 114.0
    assert cooldown.acquire(1) == 0.0
