"""Learners for streak reminder tests: opted in, with a streak as the test needs it."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.db import session_scope
from core.learners import learner_for_discord
from core.models import User
from tests.support.databases import Sessions

#: the flow's Monday (tests.support.clocks.Clock) and the day before it
MONDAY = date(2026, 5, 4)
SUNDAY = date(2026, 5, 3)


async def streaking_learner(
    sessions: Sessions,
    discord_id: int,
    guild_id: int | None,
    *,
    name: str | None = None,
    reminders: bool = True,
    streak: int = 3,
    last_day: date | None = SUNDAY,
    freezes: int = 0,
    **changes: Any,
) -> int:
    """A learner seen in `guild_id` with reminders on (at 20:00 unless `reminder_time` is
    changed) and a streak as given, by default 3 days up to Sunday: alive on Monday, which
    does not count yet. Other keyword arguments set the learner's columns; the user id."""
    async with session_scope(sessions) as session:
        user = await learner_for_discord(
            session, discord_id, name or f"learner{discord_id}", guild_id
        )
        user.reminders = reminders
        user.current_streak = user.best_streak = streak
        user.last_active_day = last_day
        user.streak_freezes = freezes
        for column, value in changes.items():
            setattr(user, column, value)
        await session.flush()
        return user.id


async def learner_row(sessions: Sessions, user_id: int) -> User:
    """A learner's row as stored now."""
    async with sessions() as session:
        user = await session.get(User, user_id)
    assert user is not None
    return user
