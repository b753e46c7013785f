"""Time zones: the default, the names people may choose, and the rule whose zone counts.

A learner's days (their streak and reminders) are counted in the learner's own zone, else the
zone of the submission's server, else of the first server they were seen in, else UTC. A
learner may change their own zone once per `ZONE_CHANGE_INTERVAL`, so that hopping zones
cannot manufacture streak days.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

#: the IANA name of the zone used when nobody chose one
DEFAULT_ZONE = "UTC"
#: the rule, in the words learners (and reminders) read
ZONE_RULE = (
    "Your days follow your own time zone, else the zone of the server you submit in, "
    "else of the first server you were seen in, else UTC."
)
#: what a learner chooses to follow the server's zone again instead of their own
SERVER_ZONE = "server"
#: how long a learner waits between two changes of their own zone
ZONE_CHANGE_INTERVAL = timedelta(hours=24)
#: "UTC+2", "GMT-5", "utc +10": a whole-hour offset, which has a fixed IANA zone
_OFFSET = re.compile(r"^(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?00)?$", re.IGNORECASE)


class UnknownZone(ValueError):
    """A name that is no time zone; the message says what to type instead."""


def zone_or_default(zone: str | None) -> str:
    """`zone`, or the default zone when none is set."""
    return zone or DEFAULT_ZONE


@cache
def _zones_by_lower_name() -> dict[str, str]:
    """Every IANA zone name, by its lower-case spelling."""
    return {name.lower(): name for name in available_timezones()}


def parse_zone(text: str) -> str:
    """The IANA name of the zone `text` names (any case, spaces for underscores), or a
    whole-hour offset such as "UTC+2" as its fixed zone (`Etc/GMT-2`); UnknownZone otherwise."""
    cleaned = text.strip()
    offset = _OFFSET.match(cleaned)
    if offset is not None:
        return _offset_zone(offset[1], int(offset[2]), text)
    name = _zones_by_lower_name().get(cleaned.replace(" ", "_").lower())
    if name is None:
        raise UnknownZone(
            f"'{text}' is not a known time zone; pick a place from the suggestions, "
            "like Europe/Berlin or America/New_York, or UTC."
        )
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:  # listed, yet not loadable here
        raise UnknownZone(f"The time zone '{name}' cannot be used here.") from error
    return name


def _offset_zone(sign: str, hours: int, text: str) -> str:
    """The fixed IANA zone of a whole-hour offset from UTC (POSIX-style, so its sign flips)."""
    if hours == 0:
        return DEFAULT_ZONE
    if hours > (14 if sign == "+" else 12):
        raise UnknownZone(f"'{text}' is no offset any place uses (UTC-12 to UTC+14).")
    return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"


def zone_choices(text: str, limit: int = 25) -> list[str]:
    """Zone names matching what was typed, for pickers: those whose place starts with it
    first ("ber" → Europe/Berlin), then those containing it anywhere."""
    needle = text.strip().replace(" ", "_").lower()
    names = sorted(available_timezones())
    starting = [n for n in names if n.lower().rpartition("/")[2].startswith(needle)]
    shown = set(starting)
    containing = [n for n in names if needle in n.lower() and n not in shown]
    return (starting + containing)[:limit]


def next_midnight(now: datetime, zone: str) -> datetime:
    """When the day that contains `now` in `zone` ends: the next local midnight (aware)."""
    local = now.astimezone(ZoneInfo(zone))
    return datetime.combine(local.date() + timedelta(days=1), time(), local.tzinfo)


def next_zone_change(changed_at: datetime | None) -> datetime | None:
    """When a learner who last changed their zone at `changed_at` may change it again (None:
    they never did, so now)."""
    return None if changed_at is None else changed_at + ZONE_CHANGE_INTERVAL
