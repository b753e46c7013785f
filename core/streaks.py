"""Daily streaks: consecutive calendar days of practice, bridged by freezes.

Rules:
- a day counts when it has a first solve of a task or the accepted daily challenge of that day,
  in the learner's time zone (`core.timezones.ZONE_RULE`); an accepted submission of a task
  solved before does not count;
- every 7th consecutive day earns a streak freeze; at most `MAX_FREEZES` are held;
- a freeze is spent automatically to bridge exactly one missed day (the missed day does not count
  toward the length); a longer gap starts a new streak, and unspent freezes are kept.

The state is updated incrementally on each counting submission and can always be recomputed
from the ledger of solves and daily challenges; both give the same result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

DAYS_PER_FREEZE = 7
MAX_FREEZES = 2
#: what keeps a streak, as profiles explain it to learners
STREAK_RULE = (
    "A streak day needs a first solve or that day's daily challenge; "
    "resubmitting a task you already solved does not count."
)


@dataclass(frozen=True, slots=True)
class StreakState:
    """A learner's streak as of their last active day."""

    current: int = 0
    best: int = 0
    last_day: date | None = None
    freezes: int = 0


def local_day(moment: datetime, timezone: str) -> date:
    """The calendar day of an aware moment in a time zone (IANA name)."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def counts(first_solve: bool, daily: bool) -> bool:
    """Whether an accepted submission keeps the streak: a first solve, or the daily challenge
    of its day (even of a task solved before)."""
    return first_solve or daily


def advance(state: StreakState, day: date) -> StreakState:
    """The state after a counting submission on `day`.

    A day at or before the last active day (the same day, or an earlier local date reached by
    moving to another time zone) changes nothing.
    """
    if state.last_day is not None and day <= state.last_day:
        return state
    gap = None if state.last_day is None else (day - state.last_day).days
    freezes = state.freezes
    if gap == 1:
        current = state.current + 1
    elif gap == 2 and freezes > 0:
        current, freezes = state.current + 1, freezes - 1
    else:
        current = 1
    if current % DAYS_PER_FREEZE == 0:
        freezes = min(MAX_FREEZES, freezes + 1)
    return StreakState(current, max(state.best, current), day, freezes)


def recompute(days: Iterable[date]) -> StreakState:
    """The state from scratch, from the local days of counting submissions in time order.

    Walks the history as runs of consecutive days instead of repeating `advance`, so that the
    two can check each other.
    """
    ordered: list[date] = []
    for day in days:
        if not ordered or day > ordered[-1]:
            ordered.append(day)
    state = StreakState()
    run_start = 0
    freezes = 0
    best = 0
    for i, day in enumerate(ordered):
        if i > 0:
            gap = (day - ordered[i - 1]).days
            if gap == 2 and freezes > 0:
                freezes -= 1
            elif gap != 1:
                run_start = i
        length = i - run_start + 1
        if length % DAYS_PER_FREEZE == 0:
            freezes = min(MAX_FREEZES, freezes + 1)
        best = max(best, length)
        state = StreakState(length, best, day, freezes)
    return state


def effective_current(state: StreakState, today: date) -> int:
    """The streak as a learner sees it today: zero once it can no longer continue.

    It is alive when the last active day was today or yesterday, or the day before with a freeze
    left to bridge yesterday.
    """
    if state.last_day is None:
        return 0
    gap = (today - state.last_day).days
    if gap <= 1 or (gap == 2 and state.freezes > 0):
        return state.current
    return 0
