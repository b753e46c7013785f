"""The designer's advice on a task's limits."""

from __future__ import annotations

import pytest

from core.designer.checks import suggested_time_limit


@pytest.mark.parametrize(
    ("slowest_ms", "suggested_s"),
    [(0, 1.0), (120, 1.0), (333, 1.0), (334, 1.5), (500, 1.5), (1_000, 3.0), (4_000, 10.0)],
)
def test_the_suggested_limit_is_three_times_the_slowest_rounded_up_to_half_seconds(
    slowest_ms: float, suggested_s: float
) -> None:
    assert suggested_time_limit(slowest_ms) == suggested_s
