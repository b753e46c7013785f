"""The award decision on plain values, no database: its rules over many generated cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core.hints import POINTS_FLOOR, points_after_hints
from core.scores import Score
from core.streaks import MAX_FREEZES, StreakState, advance, effective_current, local_day
from core.submissions.decision import Attempt, Award, LearnerTotals, SolveContext, decide

#: UTC, the zones furthest ahead and behind, and zones with daylight saving time
ZONES = ("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Berlin", "America/St_Johns")
START = datetime(2026, 1, 1)
#: Sunday 3 May 2026, a second before midnight UTC: Monday 4 May starts a week
LAST_SECOND_OF_A_WEEK = datetime(2026, 5, 3, 23, 59, 59, tzinfo=UTC)
#: time zone look-ups make a first example slow on a busy machine: no deadline
no_deadline = settings(deadline=None)


@st.composite
def scores(draw: st.DrawFn) -> Score:
    """A learner's score: some points, part of them in a week starting on a Monday (or none)."""
    points = draw(st.integers(min_value=0, max_value=10_000))
    if not points or draw(st.booleans()):
        return Score(points)
    monday = date(2026, 1, 5) + timedelta(weeks=draw(st.integers(min_value=0, max_value=30)))
    return Score(points, monday, draw(st.integers(min_value=0, max_value=points)))


@st.composite
def streaks(draw: st.DrawFn) -> StreakState:
    """A streak as stored: none yet, or a current run no longer than the best one."""
    best = draw(st.integers(min_value=0, max_value=60))
    if not best:
        return StreakState()
    last_day = START.date() + timedelta(days=draw(st.integers(min_value=0, max_value=220)))
    current = draw(st.integers(min_value=1, max_value=best))
    return StreakState(current, best, last_day, draw(st.integers(0, MAX_FREEZES)))


learners = st.builds(LearnerTotals, scores(), streaks())
contexts = st.builds(
    SolveContext,
    zone=st.sampled_from(ZONES),
    solved_before=st.booleans(),
    earlier_attempts=st.integers(min_value=0, max_value=20),
    daily_bonus=st.sampled_from([None, None, 0, 5, 10]),
    server_task=st.booleans(),
    hints_revealed=st.integers(min_value=0, max_value=5),
)
moments = st.datetimes(min_value=START, max_value=datetime(2026, 9, 1), timezones=st.just(UTC)).map(
    lambda moment: moment.replace(microsecond=0)
)


@st.composite
def attempts(draw: st.DrawFn, accepted: bool | None = None) -> Attempt:
    """A graded submission; grading finishes up to a few minutes after it was submitted."""
    submitted_at = draw(moments)
    return Attempt(
        accepted=draw(st.booleans()) if accepted is None else accepted,
        task_points=draw(st.sampled_from([0, 10, 20, 40])),
        submitted_at=submitted_at,
        finished_at=submitted_at + timedelta(seconds=draw(st.integers(0, 600))),
    )


def _unchanged(award: Award) -> bool:
    """The award earned nothing and changes nothing."""
    return (
        award.after == award.before
        and (award.first_solve, award.earned, award.may_unlock) == (False, 0, False)
        and award.streak_after == award.streak_before
    )


@no_deadline
@given(learners, contexts, attempts(accepted=False))
def test_a_rejected_submission_changes_nothing(
    learner: LearnerTotals, context: SolveContext, attempt: Attempt
) -> None:
    assert _unchanged(decide(learner, context, attempt))


@no_deadline
@given(learners, contexts, attempts())
def test_points_only_on_a_first_accepted_solve_and_never_negative(
    learner: LearnerTotals, context: SolveContext, attempt: Attempt
) -> None:
    award = decide(learner, context, attempt)
    assert award.first_solve == (attempt.accepted and not context.solved_before)
    points = points_after_hints(attempt.task_points, context.hints_revealed)
    expected = points + (context.daily_bonus or 0) if award.first_solve else 0
    assert award.earned == expected >= 0
    assert award.after.score.points == learner.score.points + award.earned
    assert award.after.score.week_points >= 0
    assert award.first_try == (award.first_solve and context.earlier_attempts == 0)
    if not award.first_solve:
        assert award.after.score == learner.score


@no_deadline
@given(learners, contexts, attempts(accepted=True))
def test_revealed_hints_cost_a_first_solves_task_points_never_the_bonus(
    learner: LearnerTotals, context: SolveContext, attempt: Attempt
) -> None:
    award = decide(learner, context, attempt)
    if not award.first_solve:
        assert (award.hints_used, award.hint_cost) == (0, 0)
        return
    assert award.hints_used == context.hints_revealed
    assert award.points_gained + award.hint_cost == attempt.task_points
    assert award.points_gained >= POINTS_FLOOR * attempt.task_points
    assert award.daily_bonus == (context.daily_bonus or 0)


def test_two_hints_take_sixteen_of_forty_points() -> None:
    learner = LearnerTotals(Score(), StreakState())
    context = SolveContext("UTC", False, 0, 10, hints_revealed=2)
    award = decide(learner, context, _accepted(LAST_SECOND_OF_A_WEEK, 40))
    assert (award.points_gained, award.hint_cost, award.daily_bonus, award.earned) == (
        24,
        16,
        10,
        34,
    )


@no_deadline
@given(learners, contexts, attempts(accepted=True))
def test_weekly_points_count_in_the_utc_week_grading_finished(
    learner: LearnerTotals, context: SolveContext, attempt: Attempt
) -> None:
    award = decide(learner, SolveContext(context.zone, False, 0, context.daily_bonus), attempt)
    week = award.after.score.week_start
    assert week is not None
    assert week.weekday() == 0  # a Monday
    assert week <= attempt.finished_at.date() < week + timedelta(days=7)
    carried = learner.score.week_points if learner.score.week_start == week else 0
    assert award.after.score.week_points == carried + award.earned


def test_weekly_points_roll_over_at_monday_midnight_utc() -> None:
    learner = LearnerTotals(Score(), StreakState())
    context = SolveContext("Pacific/Kiritimati", False, 0, 0)  # already Monday there
    sunday = decide(learner, context, _accepted(LAST_SECOND_OF_A_WEEK, 10)).after
    assert (sunday.score.week_start, sunday.score.week_points) == (date(2026, 4, 27), 10)
    monday = LAST_SECOND_OF_A_WEEK + timedelta(seconds=1)
    after = decide(sunday, context, _accepted(monday, 20)).after
    assert after.score == Score(30, date(2026, 5, 4), 20)


@no_deadline
@given(learners, contexts, st.lists(attempts(accepted=True), min_size=1, max_size=12))
def test_the_streak_advances_at_most_once_per_local_day(
    learner: LearnerTotals, context: SolveContext, history: list[Attempt]
) -> None:
    totals = learner
    grown_on: list[date] = []
    for attempt in sorted(history, key=lambda a: a.submitted_at):
        award = decide(totals, context, attempt)
        before, after = award.before.streak, award.after.streak
        assert after.current in {before.current, before.current + 1, 1}
        assert after.best >= before.best
        if after != before:
            day = local_day(attempt.submitted_at, context.zone)
            assert day not in grown_on
            assert after.last_day == day
            grown_on.append(day)
        totals = award.after


@no_deadline
@given(learners, contexts, attempts(accepted=True), st.integers(0, 86_399))
def test_solving_again_the_same_local_day_changes_nothing(
    learner: LearnerTotals, context: SolveContext, first: Attempt, later_s: int
) -> None:
    solved = decide(learner, SolveContext(context.zone, False, 0, context.daily_bonus), first)
    again_at = first.submitted_at + timedelta(seconds=later_s)
    if local_day(again_at, context.zone) != local_day(first.submitted_at, context.zone):
        again_at = first.submitted_at
    again = decide(
        solved.after,
        SolveContext(
            context.zone, True, 1, context.daily_bonus, daily_credited=solved.daily_credit
        ),
        _accepted(again_at, 10),
    )
    assert _unchanged(again)
    assert solved.daily_credit == (context.daily_bonus is not None)
    assert not again.daily_credit


@no_deadline
@given(learners, contexts, attempts(accepted=True))
def test_solving_again_earns_no_points(
    learner: LearnerTotals, context: SolveContext, attempt: Attempt
) -> None:
    award = decide(learner, SolveContext(context.zone, True, 1, context.daily_bonus), attempt)
    assert (award.first_solve, award.points_gained, award.daily_bonus) == (False, 0, 0)
    assert award.after.score == learner.score
    daily = context.daily_bonus is not None
    assert award.daily_credit == daily
    assert award.may_unlock == (award.after.streak.best > learner.streak.best or daily)


@no_deadline
@given(learners, contexts, attempts(accepted=True), st.booleans())
def test_a_daily_challenge_solved_before_counts_once_on_its_day(
    learner: LearnerTotals, context: SolveContext, attempt: Attempt, credited: bool
) -> None:
    daily = SolveContext(context.zone, True, 1, 5, daily_credited=credited)
    award = decide(learner, daily, attempt)
    assert (award.points_gained, award.daily_bonus, award.after.score) == (0, 0, learner.score)
    assert award.daily_credit is not credited
    server_task = decide(learner, replace(daily, server_task=True), attempt)
    assert not server_task.may_unlock


@no_deadline
@given(learners, contexts, attempts(accepted=True))
def test_a_re_solve_never_advances_the_streak(
    learner: LearnerTotals, context: SolveContext, attempt: Attempt
) -> None:
    award = decide(learner, SolveContext(context.zone, True, 1, None), attempt)
    assert award.after == learner
    assert award.streak_after == award.streak_before
    assert not award.may_unlock


@no_deadline
@given(learners, contexts, attempts(accepted=True), st.booleans())
def test_the_daily_challenge_of_the_day_advances_the_streak_even_when_solved_before(
    learner: LearnerTotals, context: SolveContext, attempt: Attempt, solved_before: bool
) -> None:
    daily = SolveContext(context.zone, solved_before, 1, context.daily_bonus or 0)
    award = decide(learner, daily, attempt)
    day = local_day(attempt.submitted_at, context.zone)
    assert award.after.streak == advance(learner.streak, day)
    assert award.streak_after == effective_current(award.after.streak, day) >= 1


@no_deadline
@given(learners, contexts, attempts(accepted=True))
def test_a_first_solve_advances_the_streak(
    learner: LearnerTotals, context: SolveContext, attempt: Attempt
) -> None:
    award = decide(learner, SolveContext(context.zone, False, 0, context.daily_bonus), attempt)
    day = local_day(attempt.submitted_at, context.zone)
    assert award.after.streak == advance(learner.streak, day)


@no_deadline
@given(learners, contexts, attempts(accepted=True))
def test_a_servers_own_task_earns_points_but_never_a_streak_or_an_unlock(
    learner: LearnerTotals, context: SolveContext, attempt: Attempt
) -> None:
    own = SolveContext(context.zone, False, 0, context.daily_bonus or None, server_task=True)
    award = decide(learner, own, attempt)
    assert award.first_solve
    assert award.earned == attempt.task_points + (context.daily_bonus or 0)
    assert award.after.score == learner.score.gain(award.earned, attempt.finished_at)
    assert award.after.streak == learner.streak
    assert award.streak_after == award.streak_before
    assert not award.may_unlock


def _accepted(moment: datetime, points: int) -> Attempt:
    """An accepted submission of a task worth `points`, graded the moment it arrived."""
    return Attempt(accepted=True, task_points=points, submitted_at=moment, finished_at=moment)
