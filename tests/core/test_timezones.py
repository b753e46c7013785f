"""Time zone names as people type them, the pickers' suggestions and when a day ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.timezones import (
    UnknownZone,
    next_midnight,
    next_zone_change,
    parse_zone,
    zone_choices,
)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        (" america/new york ", "America/New_York"),
        ("utc", "UTC"),
        ("UTC+2", "Etc/GMT-2"),
        ("GMT-5", "Etc/GMT+5"),
        ("UTC +14", "Etc/GMT-14"),
        ("utc-0", "UTC"),
        ("UTC+09:00", "Etc/GMT-9"),
    ],
)
def test_names_and_whole_hour_offsets_are_understood(typed: str, zone: str) -> None:
    assert parse_zone(typed) == zone


@pytest.mark.parametrize("typed", ["Berlin", "UTC+5:30", "UTC-13", "CEST", "../etc/passwd"])
def test_anything_else_is_refused_with_what_to_type(typed: str) -> None:
    with pytest.raises(UnknownZone, match="UTC"):
        parse_zone(typed)


def test_suggestions_put_places_starting_with_the_text_first() -> None:
    assert zone_choices("ber") == ["Atlantic/Bermuda", "Europe/Berlin", "Australia/Canberra"]
    assert zone_choices("york") == ["America/New_York"]
    assert zone_choices("new y") == ["America/New_York"]
    assert len(zone_choices("")) == 25
    assert zone_choices("no such place") == []


def test_a_day_ends_at_the_next_local_midnight() -> None:
    # 23:30 in Tokyo on 4 May
    now = datetime(2026, 5, 4, 14, 30, tzinfo=UTC)
    assert next_midnight(now, "Asia/Tokyo") == datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    assert next_midnight(now, "UTC") == datetime(2026, 5, 5, tzinfo=UTC)


def test_a_change_waits_a_day_after_the_last() -> None:
    now = datetime(2026, 5, 4, 14, 30, tzinfo=UTC)
    assert next_zone_change(None) is None
    assert next_zone_change(now) == now + timedelta(hours=24)
