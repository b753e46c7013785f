"""Call test cases for the sandbox tests: steps split into what enters the sandbox and what
stays on the host, as task files are."""

from __future__ import annotations

from typing import Any

from sandbox import CompareMode, Comparison, TestCase
from sandbox.calls import expectations, script

CALLS = Comparison(mode=CompareMode.CALL)


def call_case(entry: str, *steps: dict[str, Any], hidden: bool = False) -> TestCase:
    """One call test of `entry` made of `steps` (each a call with its expectation)."""
    return TestCase(
        input=script(entry, list(steps)), expected=expectations(list(steps)), hidden=hidden
    )
