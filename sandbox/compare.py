"""Output comparison on the host: expected outputs never enter a container."""

from __future__ import annotations

import math
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from sandbox.difference import Difference, DiffUnit, line_difference, token_difference


class CompareMode(StrEnum):
    """How a program's output is compared with the expected output."""

    EXACT = "exact"
    TOKENS = "tokens"
    FLOAT = "float"
    CALL = "call"
    """Tests call the program's function or class (`sandbox.calls`); floats in the values
    they return may differ by the tolerance."""


class Comparison(BaseModel):
    """A comparison mode and, for `float`, the tolerance (absolute or relative)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: CompareMode = CompareMode.EXACT
    tolerance: float = Field(default=1e-6, ge=0, le=1)

    def matches(self, actual: str, expected: str) -> bool:
        """Tell whether `actual` counts as the same output as `expected` under this mode (call
        tests compare results, not output: `sandbox.calls`)."""
        if self.mode is CompareMode.CALL:
            raise ValueError("call tests compare what their calls returned, not their output")
        if self.mode is CompareMode.EXACT:
            return normalize_lines(actual) == normalize_lines(expected)
        if self.mode is CompareMode.TOKENS:
            return actual.split() == expected.split()
        return floats_match(actual, expected, self.tolerance)

    def difference(self, actual: str, expected: str) -> Difference | None:
        """Where `actual` first differs from `expected` under this mode; None when it matches."""
        if self.matches(actual, expected):
            return None
        if self.mode is CompareMode.EXACT:
            return line_difference(
                normalize_lines(actual).splitlines(), normalize_lines(expected).splitlines()
            )
        if self.mode is CompareMode.TOKENS:
            return token_difference(actual, expected, str.__eq__, DiffUnit.TOKEN)
        return token_difference(
            actual,
            expected,
            lambda a, e: _token_matches(a, e, self.tolerance),
            DiffUnit.VALUE,
            self.tolerance,
        )


def normalize_lines(text: str) -> str:
    """Drop trailing whitespace of every line and trailing blank lines; unify line endings."""
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def floats_match(actual: str, expected: str, tolerance: float) -> bool:
    """Compare token by token; numeric tokens may differ by `tolerance` (absolute or relative)."""
    actual_tokens = actual.split()
    expected_tokens = expected.split()
    if len(actual_tokens) != len(expected_tokens):
        return False
    return all(
        _token_matches(a, e, tolerance) for a, e in zip(actual_tokens, expected_tokens, strict=True)
    )


def _token_matches(actual: str, expected: str, tolerance: float) -> bool:
    """Equal strings match; otherwise both must be numbers close enough to each other."""
    if actual == expected:
        return True
    a = _parse_float(actual)
    e = _parse_float(expected)
    if a is None or e is None:
        return False
    if math.isnan(a) or math.isnan(e):
        return math.isnan(a) and math.isnan(e)
    if math.isinf(a) or math.isinf(e):
        return a == e
    return math.isclose(a, e, rel_tol=tolerance, abs_tol=tolerance)


def _parse_float(token: str) -> float | None:
    """Parse a decimal number token; None when it is not one (Python's '1_0' is not)."""
    if "_" in token:
        return None
    try:
        return float(token)
    except ValueError:
        return None
