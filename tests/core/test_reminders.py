"""Streak reminders: who is due when (in whose zone), one claim wins, a sent one is never due
again, a crashed sender's claim expires."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text

from core.daily import daily_for, mark_posted
from core.db import session_scope
from core.models import GuildSettings, StreakReminder, Task, User
from core.reminders import (
    OPTED_IN,
    REMINDER_LEASE,
    Attempt,
    DueReminder,
    ServerDaily,
    claim_reminder,
    due_reminders,
    record_reminded,
    release_reminder,
    todays_daily,
)
from tests.support.databases import Sessions
from tests.support.learners import GUILD
from tests.support.reminders import MONDAY, streaking_learner

EVENING = datetime(2026, 5, 4, 20, 0, tzinfo=UTC)


async def learner(
    sessions: Sessions, discord_id: int, *, guild_id: int | None = GUILD, **changes: Any
) -> int:
    """A learner with reminders on at 20:00 and a streak alive on Monday (see
    `streaking_learner`), seen in the test server unless told otherwise."""
    return await streaking_learner(sessions, discord_id, guild_id, **changes)


async def due_at(sessions: Sessions, now: datetime) -> dict[int, DueReminder]:
    async with sessions() as session:
        return {due.user_id: due for due in await due_reminders(session, now)}


async def claim(sessions: Sessions, user_id: int, claimant: str, now: datetime) -> Attempt | None:
    async with session_scope(sessions) as session:
        return await claim_reminder(session, user_id, MONDAY, claimant, now)


async def record(sessions: Sessions, user_id: int, claimant: str, now: datetime) -> None:
    async with session_scope(sessions) as session:
        await record_reminded(session, user_id, MONDAY, claimant, now)


async def test_a_live_streak_not_counted_today_is_due_from_the_reminder_time(
    sessions: Sessions,
) -> None:
    ada = await learner(sessions, 1)
    assert await due_at(sessions, EVENING - timedelta(minutes=1)) == {}
    due = (await due_at(sessions, EVENING))[ada]
    assert due == DueReminder(
        ada,
        1,
        MONDAY,
        3,
        day_starts=datetime(2026, 5, 4, 0, 0, tzinfo=UTC),
        day_ends=datetime(2026, 5, 5, 0, 0, tzinfo=UTC),
        guild_id=GUILD,
    )
    assert ada in await due_at(sessions, datetime(2026, 5, 4, 23, 59, tzinfo=UTC))


async def test_nobody_is_due_without_a_streak_to_keep_or_once_today_counts(
    sessions: Sessions,
) -> None:
    await learner(sessions, 1, reminders=False)
    await learner(sessions, 2, last_day=MONDAY)
    await learner(sessions, 3, last_day=MONDAY - timedelta(days=2))
    await learner(sessions, 4, streak=0, last_day=None)
    bridged = await learner(sessions, 5, last_day=MONDAY - timedelta(days=2), freezes=1)
    await learner(sessions, 6, reminder_time=time(21, 30))
    assert set(await due_at(sessions, EVENING)) == {bridged}


async def test_the_learners_own_zone_else_their_first_servers_decides_the_time_and_day(
    sessions: Sessions,
) -> None:
    async with session_scope(sessions) as session:
        session.add(GuildSettings(guild_id=GUILD, timezone="America/New_York"))
    server = await learner(sessions, 1)
    tokyo = await learner(sessions, 2, timezone="Asia/Tokyo")
    nowhere = await learner(sessions, 3, guild_id=None, reminder_time=time(9, 0))
    # Monday 11:00 UTC: 20:00 on Monday in Tokyo, 07:00 in New York
    at_eleven = await due_at(sessions, datetime(2026, 5, 4, 11, 0, tzinfo=UTC))
    assert set(at_eleven) == {tokyo, nowhere}
    assert at_eleven[tokyo].day_ends == datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    assert at_eleven[nowhere].guild_id is None
    # Tuesday 00:00 UTC is still Monday 20:00 in New York
    at_midnight = await due_at(sessions, datetime(2026, 5, 5, 0, 0, tzinfo=UTC))
    assert at_midnight[server].day == MONDAY
    assert at_midnight[server].day_ends == datetime(2026, 5, 5, 4, 0, tzinfo=UTC)


async def test_one_claimant_at_a_time_and_a_sent_reminder_is_never_due_again(
    sessions: Sessions,
) -> None:
    ada = await learner(sessions, 1)
    assert await claim(sessions, ada, "first", EVENING) == Attempt.FIRST
    assert await claim(sessions, ada, "second", EVENING) is None
    assert ada in await due_at(sessions, EVENING)  # claimed, not sent: claiming decides
    await record(sessions, ada, "first", EVENING + timedelta(seconds=1))
    later = EVENING + REMINDER_LEASE * 3
    assert await claim(sessions, ada, "second", later) is None
    assert await due_at(sessions, later) == {}
    async with sessions() as session:
        (row,) = await session.scalars(select(StreakReminder))
    assert (row.day, row.claimed_by, row.sent_at) == (
        MONDAY,
        None,
        EVENING + timedelta(seconds=1),
    )


async def test_a_crashed_senders_claim_expires_and_a_released_one_is_free_at_once(
    sessions: Sessions,
) -> None:
    ada = await learner(sessions, 1)
    assert await claim(sessions, ada, "crashed", EVENING) == Attempt.FIRST
    assert await claim(sessions, ada, "restarted", EVENING + REMINDER_LEASE / 2) is None
    assert await claim(sessions, ada, "restarted", EVENING + REMINDER_LEASE) == Attempt.AGAIN
    async with session_scope(sessions) as session:
        await release_reminder(session, ada, MONDAY, "crashed")  # not its claim any more
    assert await claim(sessions, ada, "third", EVENING + REMINDER_LEASE) is None
    async with session_scope(sessions) as session:
        await release_reminder(session, ada, MONDAY, "restarted")
    assert await claim(sessions, ada, "third", EVENING + REMINDER_LEASE) == Attempt.AGAIN


@pytest.mark.parametrize("existing", [False, True], ids=["new", "expired"])
async def test_of_racing_processes_exactly_one_claims(sessions: Sessions, existing: bool) -> None:
    ada = await learner(sessions, 1)
    if existing:
        assert await claim(sessions, ada, "crashed", EVENING - REMINDER_LEASE)
    won = await asyncio.gather(*(claim(sessions, ada, f"p{i}", EVENING) for i in range(6)))
    assert [attempt for attempt in won if attempt is not None] == [
        Attempt.AGAIN if existing else Attempt.FIRST
    ]
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(StreakReminder)) == 1


async def test_the_servers_posted_challenge_of_its_day_is_what_a_reminder_points_at(
    sessions: Sessions, content: None
) -> None:
    async with session_scope(sessions) as session:
        session.add(GuildSettings(guild_id=GUILD, timezone="Asia/Tokyo"))
        await daily_for(session, GUILD, MONDAY)  # posted yesterday in Tokyo: not today's
    async with sessions() as session:
        assert await todays_daily(session, GUILD, EVENING) is None
    tuesday = MONDAY + timedelta(days=1)  # Tokyo's day at 20:00 UTC
    async with session_scope(sessions) as session:
        await daily_for(session, GUILD, tuesday)
    async with sessions() as session:
        assert await todays_daily(session, GUILD, EVENING) is None  # chosen, not posted
    async with session_scope(sessions) as session:
        post = await daily_for(session, GUILD, tuesday)
        mark_posted(post, 4242)
        task = await session.get(Task, post.task_id)
        assert task is not None
    async with sessions() as session:
        assert await todays_daily(session, GUILD, EVENING) == ServerDaily(
            task.slug, task.title, 4242
        )


async def test_due_reminders_read_the_opted_in_learners_through_their_index(
    sessions: Sessions, database_url: str
) -> None:
    """Among thousands of learners, the few who opted in are found by `ix_users_reminders`."""
    learners = [
        {
            "discord_id": n + 1,
            "display_name": f"u{n}",
            "reminders": n % 200 == 0,
            "current_streak": n % 5,
        }
        for n in range(4000)
    ]
    async with session_scope(sessions) as session:
        await session.execute(insert(User), learners)
    mariadb = database_url.startswith("mysql")
    async with sessions() as session:
        await session.execute(text("ANALYZE TABLE users" if mariadb else "ANALYZE"))
        query = OPTED_IN.compile(session.bind, compile_kwargs={"literal_binds": True})
        explain = "EXPLAIN " if mariadb else "EXPLAIN QUERY PLAN "
        plan = [str(tuple(row)) for row in await session.execute(text(explain + str(query)))]
    assert "ix_users_reminders" in plan[0]
