"""The time zone days are counted in when a server or learner has none set."""

from __future__ import annotations

#: the IANA name of the zone used when nobody chose one
DEFAULT_ZONE = "UTC"


def zone_or_default(zone: str | None) -> str:
    """`zone`, or the default zone when none is set."""
    return zone or DEFAULT_ZONE
