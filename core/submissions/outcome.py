"""What a submission produced, ready for the bot and the site to render."""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox import Difference, Verdict


@dataclass(frozen=True, slots=True)
class TestView:
    """One test as the learner may see it: hidden tests carry no input or output."""

    __test__ = False  # not a pytest class

    index: int
    passed: bool
    hidden: bool
    verdict: str | None
    time_ms: float | None
    input: str | None = None
    expected: str | None = None
    actual: str | None = None
    stderr: str | None = None
    #: where a wrong answer's output first differs (None for hidden tests and older results)
    difference: Difference | None = None


@dataclass(frozen=True, slots=True)
class RoleGrant:
    """A Discord role to give for an unlocked achievement in one server: the role the server's
    moderators mapped to it (an unmapped achievement grants nothing)."""

    guild_id: int
    role_id: int


@dataclass(frozen=True, slots=True)
class UnlockedAchievement:
    """An achievement unlocked by this submission."""

    slug: str
    name: str
    description: str
    emoji: str
    grants: tuple[RoleGrant, ...] = ()


@dataclass(frozen=True, slots=True)
class SubmissionOutcome:
    """Everything a learner should learn from one submission."""

    submission_id: int
    task_slug: str
    task_title: str
    verdict: Verdict
    tests: tuple[TestView, ...]
    time_ms: float
    message: str | None = None
    busy: bool = False
    first_solve: bool = False
    points_gained: int = 0
    daily_bonus: int = 0
    #: on a first solve: the task's hints the learner revealed, and the points they cost
    #: (`points_gained` is what remained)
    hints_used: int = 0
    hint_cost: int = 0
    #: the learner's global points (a server's own task does not change them)
    total_points: int = 0
    #: for a server's own task: the learner's points on that server's board (None otherwise)
    server_points: int | None = None
    streak_before: int = 0
    streak_after: int = 0
    achievements: tuple[UnlockedAchievement, ...] = field(default_factory=tuple)

    @property
    def accepted(self) -> bool:
        """True when every test passed."""
        return self.verdict is Verdict.ACCEPTED

    @property
    def passed_count(self) -> int:
        """How many tests passed."""
        return sum(t.passed for t in self.tests)
