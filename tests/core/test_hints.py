"""What hints cost, as learners are told before revealing one."""

from __future__ import annotations

import pytest

from core.hints import COST_PER_HINT, POINTS_FLOOR, points_after_hints


@pytest.mark.parametrize(("revealed", "points"), [(0, 40), (1, 32), (2, 24), (3, 16), (4, 16)])
def test_each_hint_costs_a_share_down_to_the_floor(revealed: int, points: int) -> None:
    assert points_after_hints(40, revealed) == points


def test_the_floor_holds_for_every_number_of_hints() -> None:
    for revealed in range(10):
        assert points_after_hints(10, revealed) >= int(10 * POINTS_FLOOR)
    assert COST_PER_HINT > 0


def test_a_solve_after_hints_is_still_worth_a_point() -> None:
    assert points_after_hints(1, 5) == 1
