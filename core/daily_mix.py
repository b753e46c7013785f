"""A server's daily difficulty mix: which difficulty each day's challenge has.

Moderators write a mix as rules separated by `;`, each `days: difficulties`, for example
`mon-thu: easy; fri: medium; sat,sun: hard` or `every day: easy=3 medium=1`. Days are weekday
names and ranges (`mon`, `fri-sun`), `every day`, or an iCalendar recurrence rule
(in capitals: `FREQ=MONTHLY;BYMONTHDAY=1`, read with `dateutil.rrule`, counted from Monday
2020-01-06).
Difficulties are one name, names with weights, or `any`. The first rule whose days include a
date decides it; a date no rule covers may have any difficulty. Of several weighted difficulties one
is drawn per server and date, the same on every draw.

Servers that chose nothing have the default mix for beginners: easy from Monday to Thursday, a
medium task on Friday, and a hard one at the weekend, when there is more time for it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from dateutil.rrule import rrule, rrulestr

from core.content.schema import Difficulty

#: where recurrence rules start counting (a Monday): `INTERVAL=2` means every other week from it
RULE_START = datetime(2020, 1, 6)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_EVERY_DAY = ("every day", "daily", "*")
#: a part of a recurrence rule before the next `;` (`FREQ=WEEKLY`): the rule goes on after it
_RRULE_PART = re.compile(r"^[A-Z]+=[A-Z0-9,+-]*$")
_WEIGHT = re.compile(r"^([a-z]+)(?:=(\d{1,3}))?$")
MAX_RULES = 10
#: the difficulties of a rule whose days may have any difficulty
ANY = "any"
MAX_TEXT = 500
#: recurrence rules step by days or more: a challenge is chosen per day
_DAY_STEPS = re.compile(r"(^|;)FREQ=(YEARLY|MONTHLY|WEEKLY|DAILY)(;|$)")


class MixRefused(ValueError):
    """A moderator's mix could not be read; the message says what to write instead."""


@dataclass(frozen=True, slots=True)
class MixRule:
    """Days (as written, and as a recurrence rule) and the weight of each difficulty on them."""

    days: str
    rule: str
    weights: Mapping[Difficulty, int]

    def describe(self) -> str:
        """The rule as moderators write it."""
        if not self.weights:
            return f"{self.days}: {ANY}"
        if len(self.weights) == 1:
            (difficulty,) = self.weights
            return f"{self.days}: {difficulty.value}"
        return f"{self.days}: " + " ".join(f"{d.value}={n}" for d, n in self.weights.items())


@dataclass(frozen=True, slots=True)
class DailyMix:
    """A server's rules, in order: the first whose days include a date decides it."""

    rules: tuple[MixRule, ...]

    def difficulty_on(self, day: date, guild_id: int) -> Difficulty | None:
        """The difficulty of the server's challenge on `day`; None when any will do."""
        for rule in self.rules:
            if _occurs(rule.rule, day):
                return (
                    _draw(rule.weights, f"{guild_id}:{day.isoformat()}") if rule.weights else None
                )
        return None

    def describe(self) -> str:
        """The whole mix as moderators write it."""
        return "; ".join(rule.describe() for rule in self.rules)

    def to_json(self) -> dict[str, Any]:
        """The mix as stored in the server's settings."""
        return {
            "rules": [
                {
                    "days": r.days,
                    "rule": r.rule,
                    "weights": {d.value: n for d, n in r.weights.items()},
                }
                for r in self.rules
            ]
        }


def parse_mix(text: str) -> DailyMix:
    """A mix from what a moderator wrote (see the module's note); MixRefused says what is wrong."""
    if len(text) > MAX_TEXT:
        raise MixRefused(f"A mix is at most {MAX_TEXT} characters.")
    parts: list[str] = []
    for piece in (piece.strip() for piece in text.split(";")):
        if parts and _RRULE_PART.match(parts[-1].rpartition(";")[2]):
            parts[-1] += f";{piece}"
        elif piece:
            parts.append(piece)
    if not parts:
        raise MixRefused("Write at least one rule, like `mon-thu: easy; fri-sun: hard`.")
    if len(parts) > MAX_RULES:
        raise MixRefused(f"A mix has at most {MAX_RULES} rules.")
    rules = []
    for part in parts:
        days, separator, weights = part.rpartition(":")
        if not separator:
            days, weights = "every day", part
        rules.append(_rule(days.strip(), weights.strip()))
    return DailyMix(tuple(rules))


def _rule(days: str, weights: str) -> MixRule:
    label, rule = _days(days)
    return MixRule(label, rule, _weights(weights))


def _days(days: str) -> tuple[str, str]:
    """The days as shown and as a recurrence rule."""
    if days.startswith("FREQ="):
        rule = days
        try:
            if not _DAY_STEPS.search(rule):
                raise ValueError("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")
            rrulestr(rule, dtstart=RULE_START)
        except (ValueError, TypeError) as error:
            raise MixRefused(
                f"`{days[:80]}` is not a recurrence rule I can read ({error}); try "
                "`FREQ=WEEKLY;BYDAY=SA,SU`."
            ) from None
        return rule, rule
    lowered = " ".join(days.lower().split())
    if lowered in _EVERY_DAY:
        return "every day", "FREQ=DAILY"
    chosen: list[int] = []
    for item in lowered.replace(" ", "").split(","):
        first, _, last = item.partition("-")
        start, end = _weekday(first), _weekday(last or first)
        span = (end - start) % 7 + 1
        chosen.extend(day for day in ((start + i) % 7 for i in range(span)) if day not in chosen)
    byday = ",".join(_RRULE_DAYS[day] for day in sorted(chosen))
    return lowered, f"FREQ=WEEKLY;BYDAY={byday}"


def _weekday(name: str) -> int:
    """0 for Monday to 6 for Sunday, from a name or its first three letters or more."""
    for index, full in enumerate(_WEEKDAYS):
        if len(name) >= 3 and full.startswith(name):
            return index
    raise MixRefused(
        f"`{name[:40]}` is not a day: use mon, tue, wed, thu, fri, sat, sun, ranges like "
        "`mon-thu`, `every day`, or a rule like `FREQ=WEEKLY;BYDAY=SA,SU`."
    )


def _weights(text: str) -> dict[Difficulty, int]:
    """Each difficulty's weight; none for `any` (every difficulty will do)."""
    if text.lower() == ANY:
        return {}
    weights: dict[Difficulty, int] = {}
    for token in text.lower().replace(",", " ").split():
        match = _WEIGHT.match(token)
        names = {d.value for d in Difficulty}
        if match is None or match[1] not in names:
            raise MixRefused(
                f"`{token[:40]}` is not a difficulty: use easy, medium or hard, with a weight like "
                "`easy=3` when you name several, or `any`."
            )
        weight = int(match[2] or 1)
        if weight < 1:
            raise MixRefused(f"`{token}`: a weight is at least 1.")
        weights[Difficulty(match[1])] = weight
    if not weights:
        raise MixRefused("Name a difficulty after the days, like `sat,sun: hard`.")
    return weights


@lru_cache(maxsize=256)
def _recurrence(rule: str) -> rrule:
    parsed = rrulestr(rule, dtstart=RULE_START)
    assert isinstance(parsed, rrule)
    return parsed


def _occurs(rule: str, day: date) -> bool:
    midnight = datetime.combine(day, time())
    occurrence = _recurrence(rule).after(midnight, inc=True)
    return occurrence is not None and occurrence.date() == day


def _draw(weights: Mapping[Difficulty, int], key: str) -> Difficulty:
    """One difficulty, in proportion to its weight, the same for the same key."""
    total = sum(weights.values())
    ticket = int(hashlib.sha256(key.encode()).hexdigest(), 16) % total
    for difficulty, weight in weights.items():
        if ticket < weight:
            return difficulty
        ticket -= weight
    raise AssertionError("a ticket is below the total of the weights")


#: the mix of servers that chose none (see the module's note)
DEFAULT_MIX = parse_mix("mon-thu: easy; fri: medium; sat-sun: hard")


def stored_mix(document: Mapping[str, Any] | None) -> DailyMix:
    """A server's mix from its settings: the default when it chose none."""
    if not document:
        return DEFAULT_MIX
    return DailyMix(
        tuple(
            MixRule(
                rule["days"],
                rule["rule"],
                {Difficulty(d): int(n) for d, n in rule["weights"].items()},
            )
            for rule in document["rules"]
        )
    )
