"""Output comparison modes (plain unit tests, no engine needed)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sandbox import CompareMode, Comparison

EXACT = Comparison(mode=CompareMode.EXACT)
TOKENS = Comparison(mode=CompareMode.TOKENS)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("6\n", "6\n"),
        ("6", "6\n"),
        ("6   \n\n\n", "6\n"),
        ("a b  \r\nc\t\n", "a b\nc\n"),
        ("", "\n\n"),
    ],
)
def test_exact_ignores_trailing_whitespace_and_blank_lines(actual: str, expected: str) -> None:
    assert EXACT.matches(actual, expected)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("6\n", "7\n"),
        (" 6\n", "6\n"),
        ("a  b\n", "a b\n"),
        ("6\n\n7\n", "6\n7\n"),
        ("6\n", ""),
    ],
)
def test_exact_keeps_everything_else(actual: str, expected: str) -> None:
    assert not EXACT.matches(actual, expected)


def test_tokens_compares_whitespace_separated_tokens() -> None:
    assert TOKENS.matches("1  2\n3\t\n\n", "1 2 3")
    assert not TOKENS.matches("1 2", "1 2 3")
    assert not TOKENS.matches("1 2 4", "1 2 3")
    assert not TOKENS.matches("1.0", "1")


@pytest.mark.parametrize(
    ("actual", "expected", "tolerance"),
    [
        ("0.3333333", "0.333333333", 1e-6),
        ("1000000.5", "1000000", 1e-6),
        ("1e-12", "0", 1e-9),
        ("yes 1.0000001", "yes 1", 1e-6),
        ("nan", "NaN", 1e-6),
        ("inf -inf", "Infinity -inf", 1e-6),
        ("x", "x", 0),
    ],
)
def test_float_accepts_close_numbers(actual: str, expected: str, tolerance: float) -> None:
    assert Comparison(mode=CompareMode.FLOAT, tolerance=tolerance).matches(actual, expected)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("0.334", "0.333"),
        ("1 2", "1 2 3"),
        ("nan", "1"),
        ("inf", "1e308"),
        ("inf", "-inf"),
        ("yes", "no"),
        ("1_0", "10"),
        ("", "0"),
    ],
)
def test_float_refuses_far_numbers_and_other_tokens(actual: str, expected: str) -> None:
    assert not Comparison(mode=CompareMode.FLOAT, tolerance=1e-6).matches(actual, expected)


def test_comparison_refuses_bad_settings() -> None:
    with pytest.raises(ValidationError):
        Comparison.model_validate({"mode": "regex"})
    with pytest.raises(ValidationError):
        Comparison(mode=CompareMode.FLOAT, tolerance=-1)
