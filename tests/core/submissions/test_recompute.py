"""Streaks recomputed from the ledger equal what the submission flow stored, for any history (in
the learner's own time zone or their server's, with hints revealed or not), and a server's own
tasks never count toward them."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from core.db import session_scope
from core.models import (
    GLOBAL_CATALOGUE,
    DailyPost,
    GuildMember,
    GuildSettings,
    HintReveal,
    Solve,
    Task,
    User,
)
from core.streaks import StreakState
from core.submissions.recompute import recompute_streak, recompute_streaks
from core.submissions.service import Source, SubmissionRejected, SubmissionService
from tests.support.catalogue import add_task
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import GUILD, make_learner, solve

pytestmark = pytest.mark.usefixtures("content")

#: UTC, the zones furthest ahead and behind, and a zone with daylight saving time
ZONES = ("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/St_Johns")
SLUGS = ("easy-one", "easy-two", "hard-one")
#: the learner's server's own task: solvable there only, it never counts toward a streak
OWN = "own-task"
DAYS = 24
#: one learner and one server per generated history
_learners = itertools.count(1)

#: (hours since the previous submission, task, on Discord rather than the site, accepted)
Step = tuple[int, str, bool, bool]
steps = st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from((*SLUGS, OWN)), st.booleans(), st.booleans()),
    max_size=14,
)
#: each day's daily challenge of the learner's server, if any
dailies = st.lists(st.sampled_from((None, *SLUGS, OWN)), min_size=DAYS, max_size=DAYS)


async def _stored(sessions: Sessions, user: int) -> StreakState:
    async with sessions() as session:
        row = (
            await session.execute(
                select(
                    User.current_streak, User.best_streak, User.last_active_day, User.streak_freezes
                ).where(User.id == user)
            )
        ).one()
    return StreakState(*row)


async def _server(sessions: Sessions, guild: int, zone: str, days: list[str | None]) -> None:
    """A server in `zone` with a task of its own and a daily challenge on the days that have
    one."""
    first = Clock().now.date() - timedelta(days=1)
    await add_task(sessions, OWN, guild)
    async with session_scope(sessions) as session:
        session.add(GuildSettings(guild_id=guild, timezone=zone))
        seen = Task.owner_guild_id.in_([GLOBAL_CATALOGUE, guild])
        ids = dict((await session.execute(select(Task.slug, Task.id).where(seen))).all())
        session.add_all(
            DailyPost(guild_id=guild, day=first + timedelta(days=i), task_id=ids[slug])
            for i, slug in enumerate(days)
            if slug is not None
        )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zone=st.sampled_from(ZONES),
    own_zone=st.sampled_from((None, *ZONES)),
    hints=st.dictionaries(st.sampled_from((*SLUGS, OWN)), st.integers(1, 5)),
    days=dailies,
    history=steps,
)
async def test_incremental_updates_equal_the_recompute(
    sessions: Sessions,
    zone: str,
    own_zone: str | None,
    hints: dict[str, int],
    days: list[str | None],
    history: list[Step],
) -> None:
    number = next(_learners)
    guild = 5000 + number
    await _server(sessions, guild, zone, days)
    user = await make_learner(sessions, number, guild)
    await _learner_setup(sessions, user, guild, own_zone, hints)
    clock = Clock()
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    for hours, slug, discord, accepted in history:
        clock.now += timedelta(hours=hours)
        source, server = (Source.DISCORD, guild) if discord else (Source.WEB, None)
        code = "# accept\n" if accepted else "# wrong\n"
        if slug == OWN and server is None:
            with pytest.raises(SubmissionRejected):
                await service.submit(user, slug, code, source, server)
        else:
            await service.submit(user, slug, code, source, server)
    async with sessions() as session:
        derived = await recompute_streak(session, user)
    assert derived == await _stored(sessions, user)
    async with session_scope(sessions) as session:
        assert await recompute_streaks(session, batch_size=2) == 0
    assert await _scores(sessions, user, guild) == await _solved_points(sessions, user, guild)


async def _learner_setup(
    sessions: Sessions, user: int, guild: int, own_zone: str | None, hints: dict[str, int]
) -> None:
    """The learner's own time zone, if any, and the hints they revealed for some tasks."""
    async with session_scope(sessions) as session:
        await session.execute(update(User).where(User.id == user).values(timezone=own_zone))
        seen = Task.owner_guild_id.in_([GLOBAL_CATALOGUE, guild])
        ids = dict((await session.execute(select(Task.slug, Task.id).where(seen))).all())
        session.add_all(
            HintReveal(user_id=user, task_id=ids[slug], revealed=revealed)
            for slug, revealed in hints.items()
        )


async def _scores(sessions: Sessions, user: int, guild: int) -> tuple[int, int]:
    """The learner's global points and their points from the server's own tasks, checking that
    the server's board shows both."""
    async with sessions() as session:
        points = await session.scalar(select(User.points).where(User.id == user))
        member = await session.get(GuildMember, (guild, user))
    assert points is not None
    assert member is not None
    assert member.points == points + member.local_points
    return points, member.local_points


async def _solved_points(sessions: Sessions, user: int, guild: int) -> tuple[int, int]:
    """The points of the learner's solves of shared tasks and of the server's own, recounted."""
    async with sessions() as session:
        rows = await session.execute(
            select(Task.owner_guild_id, func.sum(Solve.points_awarded))
            .join(Task, Task.id == Solve.task_id)
            .where(Solve.user_id == user)
            .group_by(Task.owner_guild_id)
        )
        by_owner = {owner: int(points) for owner, points in rows}
    return by_owner.get(GLOBAL_CATALOGUE, 0), by_owner.get(guild, 0)


async def test_a_servers_own_task_never_keeps_a_streak(sessions: Sessions, clock: Clock) -> None:
    learner = await make_learner(sessions, 1)
    await add_task(sessions, OWN, GUILD)
    await solve(sessions, clock, learner, "easy-one")
    clock.now += timedelta(days=1)
    await solve(sessions, clock, learner, OWN)
    async with session_scope(sessions) as session:
        task = await session.scalar(select(Task.id).where(Task.slug == OWN))
        session.add(DailyPost(guild_id=GUILD, day=clock.now.date(), task_id=task))
    clock.now += timedelta(hours=1)
    await solve(sessions, clock, learner, OWN)  # its daily challenge, solved again
    stored = await _stored(sessions, learner)
    assert stored == StreakState(1, 1, date(2026, 5, 4), 0)
    async with session_scope(sessions) as session:
        assert await recompute_streak(session, learner) == stored
        assert await recompute_streaks(session) == 0


async def test_recomputing_drops_days_kept_by_resubmissions(
    sessions: Sessions, clock: Clock
) -> None:
    pasted, practised = await make_learner(sessions, 1), await make_learner(sessions, 2)
    for slug in SLUGS:
        await solve(sessions, clock, practised, slug)
        await solve(sessions, clock, pasted, "easy-one")
        clock.now += timedelta(days=1)
    old_rule = StreakState(3, 3, clock.now.date() - timedelta(days=1), 0)
    async with session_scope(sessions) as session:
        await session.execute(
            update(User)
            .where(User.id == pasted)
            .values(current_streak=3, best_streak=3, last_active_day=old_rule.last_day)
        )
    async with session_scope(sessions) as session:
        assert await recompute_streaks(session) == 1
    assert await _stored(sessions, pasted) == StreakState(1, 1, date(2026, 5, 4), 0)
    assert await _stored(sessions, practised) == old_rule
