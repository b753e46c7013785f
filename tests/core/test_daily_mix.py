"""Reading a server's daily difficulty mix and drawing each day's difficulty from it."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from core.content.schema import Difficulty
from core.daily_mix import DEFAULT_MIX, MixRefused, parse_mix, stored_mix

MONDAY = date(2026, 11, 23)
EASY, MEDIUM, HARD = Difficulty.EASY, Difficulty.MEDIUM, Difficulty.HARD


def _week(text: str, guild_id: int = 1) -> list[Difficulty | None]:
    mix = parse_mix(text)
    return [mix.difficulty_on(MONDAY + timedelta(days=i), guild_id) for i in range(7)]


def test_the_default_mix_eases_beginners_into_the_week() -> None:
    week = [DEFAULT_MIX.difficulty_on(MONDAY + timedelta(days=i), 1) for i in range(7)]
    assert week == [EASY] * 4 + [MEDIUM] + [HARD] * 2
    assert stored_mix(None) == DEFAULT_MIX
    assert DEFAULT_MIX.describe() == "mon-thu: easy; fri: medium; sat-sun: hard"


def test_weekday_names_ranges_and_the_first_matching_rule() -> None:
    assert _week("Saturday, SUN: hard; every day: easy") == [EASY] * 5 + [HARD] * 2
    assert _week("fri-mon: medium") == [MEDIUM] + [None] * 3 + [MEDIUM] * 3
    assert _week("tue: any; daily: hard") == [HARD, None, HARD, HARD, HARD, HARD, HARD]


def test_recurrence_rules_with_semicolons_inside() -> None:
    mix = parse_mix("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA: hard; every day: easy")
    saturdays = [mix.difficulty_on(date(2026, 11, 21) + timedelta(weeks=w), 1) for w in range(4)]
    assert saturdays.count(HARD) == 2
    assert saturdays.count(EASY) == 2
    monthly = parse_mix("FREQ=MONTHLY;BYMONTHDAY=1: hard")
    assert monthly.difficulty_on(date(2027, 3, 1), 1) is HARD
    assert monthly.difficulty_on(date(2027, 3, 2), 1) is None


def test_weights_draw_in_proportion_and_the_same_each_time() -> None:
    mix = parse_mix("every day: easy=3 medium=1")
    days = [MONDAY + timedelta(days=i) for i in range(400)]
    drawn = Counter(mix.difficulty_on(day, 7) for day in days)
    assert set(drawn) == {EASY, MEDIUM}
    assert 250 < drawn[EASY] < 350
    assert [mix.difficulty_on(day, 7) for day in days] == [
        mix.difficulty_on(day, 7) for day in days
    ]


def test_a_mix_survives_storage() -> None:
    mix = parse_mix("mon-fri: easy=2 medium=1; FREQ=WEEKLY;BYDAY=SA,SU: hard")
    assert stored_mix(mix.to_json()) == mix
    assert mix.describe() == "mon-fri: easy=2 medium=1; FREQ=WEEKLY;BYDAY=SA,SU: hard"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write at least one rule"),
        ("funday: easy", "`funday` is not a day"),
        ("mon: impossible", "`impossible` is not a difficulty"),
        ("mon: easy=0", "a weight is at least 1"),
        ("mon:", "Name a difficulty after the days"),
        ("FREQ=BOGUS: easy", "is not a recurrence rule I can read"),
        ("FREQ=MINUTELY: easy", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("; ".join(["mon: easy"] * 11), "at most 10 rules"),
        ("mon: easy " * 60, "at most 500 characters"),
    ],
)
def test_a_mix_that_cannot_be_read_says_what_to_write(text: str, message: str) -> None:
    with pytest.raises(MixRefused, match=message):
        parse_mix(text)
