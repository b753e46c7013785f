"""Deciding what a graded submission earns: a pure function of plain values, no database.

The award reads a learner's totals and a few facts about the solve under a lock (see
`core.submissions.award`), decides here, then stores the difference. Keeping the decision pure
lets its rules be tested over many generated cases: points only on a first solve (less what the
learner's revealed hints cost, see `core.hints`; never the daily bonus), weekly points
rolled over on Mondays (UTC), the streak advanced at most once per local day and only by a first
solve or the daily challenge of that day, and never by a server's own task. An accepted daily
challenge counts as one solved on its day whether or not the learner had solved the task before
(its points and bonus still come once, with the first solve).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.hints import points_after_hints
from core.scores import Score
from core.streaks import StreakState, advance, counts, effective_current, local_day


@dataclass(frozen=True, slots=True)
class LearnerTotals:
    """What a learner has earned so far: their score (the one the task's points count toward:
    global, or for a server's own task that from the server's tasks) and their streak."""

    score: Score
    streak: StreakState


@dataclass(frozen=True, slots=True)
class SolveContext:
    """What deciding on an award needs to know about a learner, a task and a moment."""

    #: the time zone the learner's days are counted in (IANA name)
    zone: str
    solved_before: bool
    #: graded submissions of the task before this one
    earlier_attempts: int
    #: the bonus of the server whose daily challenge of the submission's local day the task is
    #: (None when it is no daily challenge of that day); earned on a first solve only
    daily_bonus: int | None
    #: the task is one server's own: its points count on that server's boards only, and it
    #: neither moves the streak nor unlocks achievements
    server_task: bool = False
    #: how many of the task's hints the learner revealed before this submission was completed
    hints_revealed: int = 0
    #: the learner's earlier solve of the task already counts as a daily challenge solved on
    #: its day (a task counts once toward daily challenges)
    daily_credited: bool = False


@dataclass(frozen=True, slots=True)
class Attempt:
    """A graded submission, as far as the award cares."""

    accepted: bool
    task_points: int
    #: when it was submitted: its local day is the one the streak counts
    submitted_at: datetime
    #: when grading finished: the week its points count in
    finished_at: datetime


@dataclass(frozen=True, slots=True)
class Award:
    """What a graded submission earns, and the learner's totals before and after."""

    before: LearnerTotals
    after: LearnerTotals
    first_solve: bool = False
    #: a first solve without earlier graded attempts
    first_try: bool = False
    points_gained: int = 0
    daily_bonus: int = 0
    #: the streak as the learner saw it on the submission's day, and as it is now
    streak_before: int = 0
    streak_after: int = 0
    #: the score is the learner's score from one server's own tasks (see `SolveContext`)
    server_task: bool = False
    #: on a first solve: the hints the learner revealed, and the points they cost
    hints_used: int = 0
    hint_cost: int = 0
    #: the submission newly counts as a daily challenge solved on its day (first solve or not)
    daily_credit: bool = False

    @property
    def earned(self) -> int:
        """All points this submission earned: the task's and the daily bonus."""
        return self.points_gained + self.daily_bonus

    @property
    def may_unlock(self) -> bool:
        """Whether an achievement can unlock: conditions read global points, solve and daily
        challenge counts and the best streak, so without a new solve of a shared task, a new
        daily credit or a longer best streak nothing new can."""
        if self.server_task:
            return False
        return (
            self.first_solve
            or self.daily_credit
            or self.after.streak.best != self.before.streak.best
        )


def decide(learner: LearnerTotals, context: SolveContext, attempt: Attempt) -> Award:
    """What `attempt` earns a learner with `learner`'s totals.

    Anything but an accepted submission earns nothing. An accepted one advances the streak on
    its local day when it is a first solve or the daily challenge of that day, unless the task
    is a server's own; a first solve also earns the task's points, reduced by the hints the
    learner revealed, and the daily bonus, counted in the week (Monday, UTC) in which grading
    finished.
    """
    day = local_day(attempt.submitted_at, context.zone)
    streak_before = effective_current(learner.streak, day)
    if not attempt.accepted:
        return Award(learner, learner, streak_before=streak_before, streak_after=streak_before)
    first_solve = not context.solved_before
    daily = context.daily_bonus is not None
    streak = learner.streak
    if not context.server_task and counts(first_solve, daily):
        streak = advance(streak, day)
    streak_after = effective_current(streak, day)
    if not first_solve:
        return Award(
            learner,
            LearnerTotals(learner.score, streak),
            streak_before=streak_before,
            streak_after=streak_after,
            server_task=context.server_task,
            daily_credit=daily and not context.daily_credited,
        )
    bonus = context.daily_bonus or 0
    points = points_after_hints(attempt.task_points, context.hints_revealed)
    return Award(
        learner,
        LearnerTotals(learner.score.gain(points + bonus, attempt.finished_at), streak),
        first_solve=True,
        first_try=context.earlier_attempts == 0,
        points_gained=points,
        daily_bonus=bonus,
        streak_before=streak_before,
        streak_after=streak_after,
        server_task=context.server_task,
        hints_used=context.hints_revealed,
        hint_cost=attempt.task_points - points,
        daily_credit=daily,
    )
