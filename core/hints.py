"""What hints cost: each revealed hint takes a share of a task's points, down to a floor.

The rule is stated to learners before they reveal a hint and applied to the points of their
first solve; a daily bonus is not reduced.
"""

from __future__ import annotations

#: the share of the task's points each revealed hint costs
COST_PER_HINT = 0.2
#: the share of the task's points a solve keeps however many hints were revealed
POINTS_FLOOR = 0.4


def points_after_hints(points: int, revealed: int) -> int:
    """The points a first solve earns after `revealed` hints: each costs `COST_PER_HINT` of
    `points`, never leaving less than `POINTS_FLOOR` of them (rounded half up, at least 1)."""
    share = max(POINTS_FLOOR, 1.0 - COST_PER_HINT * max(revealed, 0))
    return max(1, int(points * share + 0.5)) if points > 0 else points
