"""Refusals name the parameter and what it allows, from the bounds the route declares."""

from __future__ import annotations

from annotated_types import Ge, Le, MaxLen, MinLen

from api.validation import allowed


def test_bounds_read_as_words() -> None:
    assert allowed([Ge(1), Le(100)]) == "a whole number from 1 to 100"
    assert allowed([Ge(0)]) == "a whole number of at least 0"
    assert allowed([MaxLen(100)]) == "at most 100 characters"
    assert allowed([MinLen(2), MaxLen(64)]) == "2 to 64 characters"
    assert allowed([]) == ""
