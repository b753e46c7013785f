"""Streak rules, and the incremental update always equal to a recompute from the ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import reduce

from hypothesis import given, settings
from hypothesis import strategies as st

from core.streaks import (
    MAX_FREEZES,
    StreakState,
    advance,
    effective_current,
    local_day,
    recompute,
)

D = date(2026, 3, 1)


def _fold(days: list[date]) -> StreakState:
    return reduce(advance, days, StreakState())


def _days(*offsets: int) -> list[date]:
    return [D + timedelta(days=o) for o in offsets]


def test_consecutive_days_build_a_streak() -> None:
    state = _fold(_days(0, 1, 2))
    assert (state.current, state.best, state.last_day) == (3, 3, D + timedelta(days=2))


def test_same_day_counts_once() -> None:
    assert _fold(_days(0, 0, 0, 1)).current == 2


def test_gap_without_freeze_restarts() -> None:
    state = _fold(_days(0, 1, 2, 4))
    assert (state.current, state.best) == (1, 3)


def test_seventh_day_earns_a_freeze_that_bridges_one_missed_day() -> None:
    state = _fold(_days(*range(7)))
    assert state.freezes == 1
    bridged = advance(state, D + timedelta(days=8))
    assert (bridged.current, bridged.freezes) == (8, 0)


def test_freeze_does_not_bridge_two_missed_days() -> None:
    state = advance(_fold(_days(*range(7))), D + timedelta(days=9))
    assert (state.current, state.freezes, state.best) == (1, 1, 7)


def test_at_most_two_freezes_are_held_and_each_bridges_once() -> None:
    days = _days(*range(35), 36, 38)
    assert _fold(days[:35]).freezes == MAX_FREEZES
    assert _fold(days) == recompute(days) == StreakState(37, 37, days[-1], 0)
    assert advance(_fold(days), D + timedelta(days=40)).current == 1


def test_effective_streak_dies_after_an_unbridgeable_gap() -> None:
    state = _fold(_days(0, 1, 2))
    last = D + timedelta(days=2)
    assert effective_current(state, last) == 3
    assert effective_current(state, last + timedelta(days=1)) == 3
    assert effective_current(state, last + timedelta(days=2)) == 0
    with_freeze = _fold(_days(*range(7)))
    assert effective_current(with_freeze, D + timedelta(days=8)) == 7
    assert effective_current(with_freeze, D + timedelta(days=9)) == 0
    assert effective_current(StreakState(), D) == 0


def test_days_follow_the_time_zone_across_dst() -> None:
    # New York springs forward on 2026-03-08; 04:30 UTC is still the evening before there.
    moment = datetime(2026, 3, 9, 3, 30, tzinfo=UTC)
    assert local_day(moment, "America/New_York") == date(2026, 3, 8)
    assert local_day(moment, "UTC") == date(2026, 3, 9)
    assert local_day(moment, "Pacific/Kiritimati") == date(2026, 3, 9)


ZONES = [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Asia/Kolkata",
]
START = datetime(2026, 1, 1, tzinfo=UTC)


@st.composite
def histories(draw: st.DrawFn) -> list[date]:
    """Accepted submissions in time order, each seen in the time zone of its server."""
    steps = draw(
        st.lists(
            st.tuples(
                st.one_of(
                    st.integers(min_value=0, max_value=60 * 60 * 80),
                    # mostly a day apart, so long runs, freezes and their use are common
                    st.builds(
                        lambda days, seconds: max(0, days * 86_400 + seconds),
                        st.sampled_from([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3]),
                        st.integers(min_value=-4 * 3600, max_value=4 * 3600),
                    ),
                ),
                st.sampled_from(ZONES),
            ),
            max_size=120,
        )
    )
    moment = START + timedelta(days=draw(st.integers(0, 300)))
    days = []
    for seconds, zone in steps:
        moment += timedelta(seconds=seconds)
        days.append(local_day(moment, zone))
    return days


@settings(max_examples=400, deadline=None)
@given(histories())
def test_incremental_update_equals_recompute(days: list[date]) -> None:
    assert _fold(days) == recompute(days)


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(min_value=0, max_value=80))
def test_recompute_of_a_prefix_continues_incrementally(days: list[date], cut: int) -> None:
    stored = recompute(days[:cut])
    assert reduce(advance, days[cut:], stored) == recompute(days)


@settings(max_examples=200, deadline=None)
@given(histories())
def test_invariants(days: list[date]) -> None:
    state = _fold(days)
    assert 0 <= state.freezes <= MAX_FREEZES
    assert state.current <= state.best
    assert (state.last_day is None) == (not days)
