"""Call tests on the host: the split between calls and expectations, the comparison of the
results the loader reported, and the calls written as Python."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sandbox.calls import (
    CallsUnreadable,
    call_difference,
    call_lines,
    expectations,
    readable_text,
    same_value,
    script,
)
from sandbox.difference import DiffUnit
from sandbox.loader import _returned

STEPS: list[dict[str, Any]] = [
    {"args": [3]},
    {"method": "push", "args": [1]},
    {"method": "pop", "returns": 1},
    {"method": "pop", "raises": "IndexError", "message": "empty"},
]


def _results(*results: dict[str, Any]) -> bytes:
    return json.dumps(list(results)).encode()


def test_only_the_calls_enter_the_sandbox() -> None:
    sent = json.loads(script("Stack", STEPS))
    assert sent["entry"] == "Stack"
    assert all(not {"returns", "raises", "message"} & set(step) for step in sent["steps"])
    assert json.loads(expectations(STEPS)) == [
        {},
        {},
        {"returns": 1},
        {"raises": "IndexError", "message": "empty"},
    ]


@pytest.mark.parametrize(
    ("actual", "expected", "same"),
    [
        (1, 1, True),
        (True, 1, False),
        (1, True, False),
        (2.0, 2, True),
        (0.1 + 0.2, 0.3, True),
        (0.31, 0.3, False),
        ("1", 1, False),
        ([1, [2.0000000001]], [1, [2.0]], True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        (None, None, True),
    ],
)
def test_values_compare_by_type_and_value_floats_with_tolerance(
    actual: object, expected: object, same: bool
) -> None:
    assert same_value(actual, expected, 1e-6) is same


def test_the_first_differing_call_is_located_with_the_calls_before_it() -> None:
    reported = _results(
        {"repr": "<Stack>", "type": "Stack"},
        {"repr": "None", "type": "NoneType", "value": None},
        {"repr": "2", "type": "int", "value": 2},
        {"raised": ["IndexError", "LookupError", "Exception"], "message": "empty"},
    )
    difference = call_difference(script("Stack", STEPS), expectations(STEPS), reported, None)
    assert difference is not None
    assert difference.unit is DiffUnit.CALL
    assert difference.position == 3
    assert difference.expected.lines[-1] == "x.pop()  → 1"
    assert difference.actual.lines[-1] == "x.pop()  → 2"
    assert (difference.expected_item, difference.actual_item) == ("1", "2")


def test_an_exception_matches_its_base_class_and_its_message() -> None:
    steps = [{"args": [], "raises": "LookupError", "message": "empty"}]
    raised: dict[str, Any] = {
        "raised": ["IndexError", "LookupError", "Exception"],
        "message": "empty",
    }
    assert call_difference(script("f", steps), expectations(steps), _results(raised), None) is None
    other: dict[str, Any] = {"raised": ["IndexError", "LookupError"], "message": "gone"}
    difference = call_difference(script("f", steps), expectations(steps), _results(other), None)
    assert difference is not None
    assert difference.actual_item == "raised IndexError: gone"
    assert difference.expected_item == "raises LookupError: empty"


def test_a_value_that_is_not_json_is_compared_by_nothing_but_its_repr() -> None:
    steps = [{"args": [], "returns": [1, 2]}]
    as_set = {"repr": "{1, 2}", "type": "set"}
    difference = call_difference(script("f", steps), expectations(steps), _results(as_set), None)
    assert difference is not None
    assert difference.actual_item == "{1, 2}"


@pytest.mark.parametrize("reported", [None, b"", b"garbage", b"[]", b"[1]"])
def test_missing_or_garbled_results_are_unreadable(reported: bytes | None) -> None:
    steps = [{"args": [], "returns": 1}]
    with pytest.raises(CallsUnreadable):
        call_difference(script("f", steps), expectations(steps), reported, None)


def test_calls_read_as_python() -> None:
    steps: list[dict[str, Any]] = [
        {"args": [1, 2]},
        {"args": [3, 4]},
        {"apply": "add", "on": 0, "args": [{"$step": 1}]},
        {"apply": "repr", "on": 2},
        {"method": "scale", "on": 1, "args": [2], "kwargs": {"round_to": "even"}},
        {"apply": "with", "on": 0, "args": ["ValueError", "bad"]},
        {"apply": "len", "on": 1},
        {"apply": "call", "on": 0, "args": [5], "kwargs": {"times": 2}},
        {"apply": "pipe", "on": 1, "args": [{"$lambda": "v: isinstance(v, Vec)"}]},
    ]
    assert call_lines("Vec", steps) == [
        "x1 = Vec(1, 2)",
        "x2 = Vec(3, 4)",
        "v3 = x1 + x2",
        "repr(v3)",
        "x2.scale(2, round_to='even')",
        "with x1: raise ValueError('bad')",
        "len(x2)",
        "x1(5, times=2)",
        "(lambda v: isinstance(v, Vec))(x2)",
    ]


def test_a_single_call_reads_as_a_plain_call_and_its_expectation() -> None:
    steps = [{"args": ["a"], "kwargs": {"n": None}, "returns": True}]
    assert readable_text(script("f", steps), expectations(steps)) == ("f('a', n=None)", "True")


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        ((1, [2.5, None]), True),
        ({"a": [True, "b"]}, True),
        ({1: "a"}, False),
        (float("nan"), False),
        ({1, 2}, False),
        ([[1] * 1000] * 1000, False),  # shared, but a million items all the same
    ],
)
def test_only_plain_json_values_travel_as_values(value: object, sent: bool) -> None:
    assert ("value" in _returned(value)) is sent
    assert _returned(value)["repr"].startswith(repr(value)[:10])


def test_a_value_containing_itself_travels_as_its_repr() -> None:
    loop: list[object] = []
    loop.append(loop)
    assert _returned(loop) == {"repr": "[[...]]", "type": "list"}
