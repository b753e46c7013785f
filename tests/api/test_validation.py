"""Refusals name the parameter and what it allows, from the bounds the route declares."""

from __future__ import annotations

from annotated_types import Ge, Le, MaxLen, MinLen

from api.params import SLUG_PATTERN
from api.validation import allowed


def test_bounds_read_as_words() -> None:
    assert allowed([Ge(1), Le(100)]) == "a whole number from 1 to 100"
    assert allowed([Ge(0)]) == "a whole number of at least 0"
    assert allowed([Le(9)]) == "a whole number of at most 9"
    assert allowed([MaxLen(100)]) == "at most 100 characters"
    assert allowed([MinLen(2), MaxLen(64)]) == "2 to 64 characters"
    assert allowed([]) == ""


def test_known_patterns_read_as_words_and_others_as_themselves() -> None:
    slug = allowed([MaxLen(64), _Pattern(SLUG_PATTERN)])
    assert slug == "at most 64 characters, of lowercase letters, digits and inner dashes"
    assert allowed([_Pattern("^x+$")]) == "matching ^x+$"


class _Pattern:
    """Metadata with a `pattern`, as pydantic keeps a string's pattern."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
