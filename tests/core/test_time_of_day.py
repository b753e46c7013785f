"""Times of day typed by people: what dateutil reads, and what is refused with the forms to use."""

from __future__ import annotations

from datetime import time

import pytest

from core.time_of_day import ACCEPTED_FORMS, TimeOfDayRefused, parse_time_of_day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8pm", time(20, 0)),
        ("8 PM", time(20, 0)),
        ("8 p.m.", time(20, 0)),
        ("20:30", time(20, 30)),
        ("7:45 am", time(7, 45)),
        ("7:45a.m.", time(7, 45)),
        ("  9 am ", time(9, 0)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("0:30", time(0, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("20h30", time(20, 30)),
        ("at 8pm", time(20, 0)),
        ("20:30:45", time(20, 30)),
    ],
)
def test_times_people_type_are_read(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "is not a time"),
        ("   ", "is not a time"),
        ("soon", "is not a time"),
        ("noon", "is not a time"),
        ("25:00", "is not a time"),
        ("quarter past 8", "is not a time"),
        ("8" * 60, "is not a time"),
        ("20", "reads as a date"),
        ("2030", "reads as a date"),
        ("0830", "reads as a date"),
        ("monday 8pm", "reads as a date"),
        ("sunday 8pm", "reads as a date"),
        ("2026-05-04 20:00", "reads as a date"),
        ("8pm UTC", "names a time zone"),
        ("20:30 +02:00", "names a time zone"),
        ("8.30pm", "after a colon"),
        ("20.30", "after a colon"),
    ],
)
def test_anything_else_is_refused_naming_the_accepted_forms(text: str, why: str) -> None:
    with pytest.raises(TimeOfDayRefused) as refused:
        parse_time_of_day(text)
    assert why in str(refused.value)
    assert ACCEPTED_FORMS in str(refused.value)
