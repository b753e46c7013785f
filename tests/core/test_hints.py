"""What hints cost, as learners are told before revealing one, and revealing them one at a time
(on SQLite and MariaDB, racing presses included)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.db import session_scope
from core.hints import (
    COST_PER_HINT,
    HINT_RULE,
    POINTS_FLOOR,
    HintState,
    Reveal,
    RevealOutcome,
    hint_state,
    points_after_hints,
    reveal_next,
)
from core.models import HintReveal, Task
from tests.support.clocks import Clock
from tests.support.content_factories import task_document
from tests.support.databases import Sessions
from tests.support.learners import make_learner, solve

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("revealed", "points"), [(0, 40), (1, 32), (2, 24), (3, 16), (4, 16)])
def test_each_hint_costs_a_share_down_to_the_floor(revealed: int, points: int) -> None:
    assert points_after_hints(40, revealed) == points


def test_the_floor_holds_for_every_number_of_hints() -> None:
    for revealed in range(10):
        assert points_after_hints(10, revealed) >= int(10 * POINTS_FLOOR)
    assert COST_PER_HINT > 0


def test_a_solve_after_hints_is_still_worth_a_point() -> None:
    assert points_after_hints(1, 5) == 1


HINTS = ["Read one line.", "Print it once, then again.", "Two print calls will do."]


async def _hinted_task(sessions: Sessions, slug: str = "hinted", hints: list[str] = HINTS) -> int:
    async with session_scope(sessions) as session:
        await upsert_tasks(
            session, [TaskFile.model_validate(task_document(slug, points=40, hints=hints))]
        )
        task_id = await session.scalar(select(Task.id).where(Task.slug == slug))
    assert task_id is not None
    return task_id


async def _reveal(sessions: Sessions, user: int, task: int, seen: int | None = None) -> Reveal:
    async with session_scope(sessions) as session:
        return await reveal_next(session, user, task, NOW, seen)


async def _state(sessions: Sessions, user: int, task: int) -> HintState:
    async with sessions() as session:
        return await hint_state(session, user, task)


async def test_a_learner_reveals_hints_one_at_a_time_and_pays_for_each(
    sessions: Sessions,
) -> None:
    task, user = await _hinted_task(sessions), await make_learner(sessions, 1)
    before = await _state(sessions, user, task)
    assert (before.total, before.revealed, before.shown, before.next_number) == (3, 0, (), 1)
    assert (before.points_now, before.points_after_next, before.points_floor) == (40, 32, 16)
    first = await _reveal(sessions, user, task)
    assert first.outcome is RevealOutcome.REVEALED
    assert (first.state.shown, first.state.points_now) == (tuple(HINTS[:1]), 32)
    assert (await _reveal(sessions, user, task, seen=1)).state.shown == tuple(HINTS[:2])
    last = await _reveal(sessions, user, task)
    assert (last.state.revealed, last.state.next_number, last.state.points_now) == (3, None, 16)
    assert (await _state(sessions, user, task)).shown == tuple(HINTS)
    assert (await _reveal(sessions, user, task)).outcome is RevealOutcome.NONE_LEFT
    assert (await _state(sessions, user, task)).revealed == 3


async def test_a_second_press_of_the_same_button_reveals_nothing_twice(
    sessions: Sessions,
) -> None:
    task, user = await _hinted_task(sessions), await make_learner(sessions, 1)
    assert (await _reveal(sessions, user, task, seen=0)).outcome is RevealOutcome.REVEALED
    again = await _reveal(sessions, user, task, seen=0)
    assert again.outcome is RevealOutcome.ALREADY
    assert again.state.revealed == 1
    async with sessions() as session:
        row = await session.get(HintReveal, (user, task))
    assert row is not None
    assert row.revealed == 1


async def test_learners_and_tasks_count_apart(sessions: Sessions) -> None:
    task, other_task = await _hinted_task(sessions), await _hinted_task(sessions, "other")
    ada, bob = await make_learner(sessions, 1), await make_learner(sessions, 2)
    await _reveal(sessions, ada, task)
    assert (await _state(sessions, bob, task)).revealed == 0
    assert (await _state(sessions, ada, other_task)).revealed == 0


async def test_racing_presses_of_one_button_reveal_one_hint(sessions: Sessions) -> None:
    task, user = await _hinted_task(sessions), await make_learner(sessions, 1)
    outcomes = await asyncio.gather(*(_reveal(sessions, user, task, seen=0) for _ in range(6)))
    assert sorted(o.outcome for o in outcomes) == [RevealOutcome.ALREADY] * 5 + [
        RevealOutcome.REVEALED
    ]
    assert (await _state(sessions, user, task)).revealed == 1


async def test_racing_requests_for_the_next_hint_never_skip_nor_double_count(
    sessions: Sessions,
) -> None:
    task, user = await _hinted_task(sessions), await make_learner(sessions, 1)
    outcomes = await asyncio.gather(*(_reveal(sessions, user, task) for _ in range(5)))
    revealed = sorted(o.state.revealed for o in outcomes if o.outcome is RevealOutcome.REVEALED)
    assert revealed == [1, 2, 3]
    assert [o.outcome for o in outcomes].count(RevealOutcome.NONE_LEFT) == 2
    assert (await _state(sessions, user, task)).revealed == 3


async def test_other_learners_reveal_at_the_same_time_without_waiting_on_each_other(
    sessions: Sessions,
) -> None:
    task = await _hinted_task(sessions)
    users = [await make_learner(sessions, n) for n in range(1, 7)]
    outcomes = await asyncio.gather(*(_reveal(sessions, user, task) for user in users))
    assert {o.outcome for o in outcomes} == {RevealOutcome.REVEALED}


async def test_once_solved_every_hint_is_free_and_nothing_is_counted(
    sessions: Sessions, clock: Clock
) -> None:
    task, user = await _hinted_task(sessions), await make_learner(sessions, 1)
    await _reveal(sessions, user, task)
    await solve(sessions, clock, user, "hinted")
    free = await _reveal(sessions, user, task)
    assert free.outcome is RevealOutcome.FREE
    assert (free.state.solved, free.state.shown, free.state.next_number) == (
        True,
        tuple(HINTS),
        None,
    )
    assert (await _state(sessions, user, task)).revealed == 1


async def test_a_task_without_hints_has_none_to_reveal(sessions: Sessions) -> None:
    task, user = await _hinted_task(sessions, hints=[]), await make_learner(sessions, 1)
    assert (await _reveal(sessions, user, task)).outcome is RevealOutcome.NO_HINTS
    assert (await _state(sessions, user, task)).total == 0


async def test_an_unknown_task_is_refused(sessions: Sessions) -> None:
    user = await make_learner(sessions, 1)
    with pytest.raises(LookupError):
        await _state(sessions, user, 9999)


def test_the_rule_states_the_constants() -> None:
    assert f"{COST_PER_HINT:.0%}" in HINT_RULE
    assert f"{POINTS_FLOOR:.0%}" in HINT_RULE
