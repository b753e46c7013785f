"""Times of day as people type them ("8pm", "20:30", "7:45 am"), read with python-dateutil.

Only a time of day is accepted: text that also names a date, a weekday or a time zone is
refused (a reminder time is a time in the learner's own zone, every day), and so is anything
dateutil cannot read. The refusal names the forms that work.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from dateutil import parser

#: what a refusal offers instead
ACCEPTED_FORMS = '"8pm", "8:30 pm", "7:45 am" or 24-hour "20:30"'
#: two defaults on different days and weekdays: a result that keeps both defaults' dates
#: named no date of its own
_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))
#: "8.30pm": dateutil drops the minutes after a dot without a word, so such times are refused
_DOTTED_MINUTES = re.compile(r"\d\.\d")
MAX_LENGTH = 40


class TimeOfDayRefused(ValueError):
    """Text that is not a time of day; the message says which forms are accepted."""


def parse_time_of_day(text: str) -> time:
    """The time of day `text` names, to the minute (seconds are dropped).

    Raises TimeOfDayRefused for anything else: garbage, a date, a weekday, a time zone, or
    minutes after a dot.
    """
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_LENGTH:
        raise _refused(text)
    if _DOTTED_MINUTES.search(cleaned):
        raise TimeOfDayRefused(
            f"'{cleaned}' is not a time I can read: write the minutes after a colon, "
            f"like {ACCEPTED_FORMS}."
        )
    try:
        readings = [parser.parse(cleaned, default=default) for default in _DEFAULTS]
    except (ValueError, OverflowError) as error:
        raise _refused(cleaned) from error
    if any(reading.tzinfo is not None for reading in readings):
        raise TimeOfDayRefused(
            f"'{cleaned}' names a time zone; give the time alone, like {ACCEPTED_FORMS}: it is "
            "read in your own time zone."
        )
    if any(r.date() != d.date() for r, d in zip(readings, _DEFAULTS, strict=True)):
        raise TimeOfDayRefused(
            f"'{cleaned}' reads as a date, not a time of day; use {ACCEPTED_FORMS}."
        )
    return readings[0].time().replace(second=0, microsecond=0)


def _refused(text: str) -> TimeOfDayRefused:
    return TimeOfDayRefused(f"'{text.strip()[:MAX_LENGTH]}' is not a time; use {ACCEPTED_FORMS}.")


def shown(moment: time) -> str:
    """A time of day as answers show it: 24-hour HH:MM."""
    return moment.strftime("%H:%M")
