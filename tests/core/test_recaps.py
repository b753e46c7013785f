"""The recap after a daily challenge's day: due once the day has ended in the server's zone,
claimed by one process at a time, and showing the reference solution and the day's shared
accepted solutions (shortest, fastest, first; different authors; that server's only)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from core.daily import choose_daily
from core.db import session_scope
from core.guilds import Shards, daily_challenge, record_daily_posted, set_channel, set_post_time
from core.models import DailyPost, Submission
from core.recaps import (
    RECAP_LEASE,
    Pick,
    claim_recap,
    code_length,
    due_recaps,
    recap_of,
    record_recap_posted,
    release_recap,
)
from core.submissions.service import Source, SubmissionService
from tests.support.catalogue import add_task
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import GUILD, make_learner

pytestmark = pytest.mark.usefixtures("content")

DAY = date(2026, 5, 4)
MESSAGE = 4242
OTHER_GUILD = 2000


async def _posted_day(sessions: Sessions, guild: int = GUILD, day: date = DAY) -> int:
    """The server's challenge of `day`, posted at 09:00 UTC; its post id."""
    async with session_scope(sessions) as session:
        await set_channel(session, guild, 1)
        post_id = (await daily_challenge(session, guild, day)).post_id
        posted = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
        await record_daily_posted(session, post_id, MESSAGE + guild, posted)
    return post_id


async def _task_of(sessions: Sessions, post_id: int) -> str:
    async with sessions() as session:
        post = await session.get(DailyPost, post_id)
        assert post is not None
        detail = await daily_challenge(session, post.guild_id, post.day)
        return detail.task.slug


async def _submit(
    sessions: Sessions,
    clock: Clock,
    user: int,
    slug: str,
    code: str,
    *,
    shared: bool = True,
    time_ms: int | None = None,
    guild: int | None = GUILD,
) -> None:
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    outcome = await service.submit(user, slug, code, Source.DISCORD, guild, shared=shared)
    if time_ms is not None:
        async with session_scope(sessions) as session:
            await session.execute(
                update(Submission)
                .where(Submission.id == outcome.submission_id)
                .values(time_ms=time_ms)
            )


def test_length_leaves_out_comments_blank_lines_and_trailing_spaces() -> None:
    code = "# the sum\n\nprint(sum(  # of both\n    [1, 2]))   \n"
    assert code_length(code) == len("print(sum(") + len("    [1, 2]))")
    assert code_length("print('# not a comment')\n") == len("print('# not a comment')")
    assert code_length("def broken(:\n  # a comment\n") == len("def broken(:")


async def test_a_recap_is_due_once_the_day_has_ended_in_the_servers_zone(
    sessions: Sessions,
) -> None:
    post_id = await _posted_day(sessions)
    async with session_scope(sessions) as session:
        await set_post_time(session, GUILD, "09:00", "Asia/Tokyo")  # UTC+9
    async with sessions() as session:
        # 14:00 UTC on Monday is already 23:00 in Tokyo: Monday has not ended there yet
        assert await due_recaps(session, datetime(2026, 5, 4, 14, 0, tzinfo=UTC)) == []
        # 15:00 UTC is Tuesday 00:00 in Tokyo
        (due,) = await due_recaps(session, datetime(2026, 5, 4, 15, 0, tzinfo=UTC))
    assert (due.post_id, due.guild_id, due.day, due.thread_id) == (
        post_id,
        GUILD,
        DAY,
        MESSAGE + GUILD,
    )
    async with sessions() as session:
        shard = (GUILD >> 22) % 2
        assert await due_recaps(
            session, datetime(2026, 5, 5, 15, 0, tzinfo=UTC), Shards(2, (shard,))
        )
        assert not await due_recaps(
            session, datetime(2026, 5, 5, 15, 0, tzinfo=UTC), Shards(2, (1 - shard,))
        )
        # days further back than the window are never recapped
        assert await due_recaps(session, datetime(2026, 5, 10, 12, 0, tzinfo=UTC)) == []


async def test_an_unposted_or_recapped_day_is_not_due(sessions: Sessions) -> None:
    async with session_scope(sessions) as session:
        await set_channel(session, GUILD, 1)
        await daily_challenge(session, GUILD, DAY)  # chosen, never posted
    tuesday = datetime(2026, 5, 5, 12, 0, tzinfo=UTC)
    async with sessions() as session:
        assert await due_recaps(session, tuesday) == []
    post_id = await _posted_day(sessions)
    async with session_scope(sessions) as session:
        await record_recap_posted(session, post_id, tuesday)
    async with sessions() as session:
        assert await due_recaps(session, tuesday) == []


async def test_a_recap_is_claimed_by_one_process_until_posted_released_or_expired(
    sessions: Sessions,
) -> None:
    post_id = await _posted_day(sessions)
    now = datetime(2026, 5, 5, 1, 0, tzinfo=UTC)

    async def claim(who: str, when: datetime) -> bool:
        async with session_scope(sessions) as session:
            return await claim_recap(session, post_id, who, when)

    won = await asyncio.gather(*(claim(f"p{i}", now) for i in range(6)))
    assert sorted(won) == [False] * 5 + [True]
    holder = f"p{won.index(True)}"
    async with sessions() as session:
        assert await due_recaps(session, now + RECAP_LEASE / 2) == []  # held
    assert not await claim("late", now + RECAP_LEASE / 2)
    async with session_scope(sessions) as session:
        await release_recap(session, post_id, "late")  # not the holder: nothing happens
    assert not await claim("late", now + RECAP_LEASE / 2)
    assert await claim("after-crash", now + RECAP_LEASE)  # the holder crashed: expired
    async with session_scope(sessions) as session:
        await release_recap(session, post_id, "after-crash")
    assert await claim(holder, now)
    async with session_scope(sessions) as session:
        await record_recap_posted(session, post_id, now)
    async with sessions() as session:
        row = await session.get(DailyPost, post_id)
        assert row is not None
        assert (row.recap_posted_at, row.recap_claimed_by, row.recap_claimed_until) == (
            now,
            None,
            None,
        )
    assert not await claim("again", now + 2 * RECAP_LEASE)


async def test_the_recap_picks_the_days_shared_solutions_by_different_authors(
    sessions: Sessions, clock: Clock
) -> None:
    post_id = await _posted_day(sessions)
    slug = await _task_of(sessions, post_id)
    ada, bob, cy, dee, eve, far = [await make_learner(sessions, i) for i in range(11, 17)]
    outsider = await make_learner(sessions, 99, guild_id=OTHER_GUILD)
    short = "# accept\nprint(1)\n"
    commented_short = "# accept\n# explained at length, which does not count\n\nprint(2)\n"
    long = "# accept\nvalue = 1\nprint(value)\n"
    clock.now = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    await _submit(sessions, clock, ada, slug, long, time_ms=50)  # first
    clock.now += timedelta(minutes=5)
    await _submit(sessions, clock, bob, slug, commented_short, time_ms=40)  # shortest
    clock.now += timedelta(minutes=5)
    await _submit(sessions, clock, bob, slug, long, time_ms=5)  # bob again, fastest of all
    await _submit(sessions, clock, cy, slug, long, time_ms=9)  # fastest of the others
    await _submit(sessions, clock, dee, slug, "# accept\n1\n", shared=False, time_ms=1)
    await _submit(sessions, clock, eve, slug, "# wrong\n1\n", time_ms=1)
    await _submit(sessions, clock, outsider, slug, "# accept\n2\n", time_ms=1, guild=OTHER_GUILD)
    clock.now = datetime(2026, 5, 5, 0, 1, tzinfo=UTC)  # the next day
    await _submit(sessions, clock, far, slug, short, time_ms=1)

    async with sessions() as session:
        recap = await recap_of(session, post_id)
    assert recap is not None
    assert (recap.day, recap.thread_id, recap.task_slug) == (DAY, MESSAGE + GUILD, slug)
    assert recap.reference.startswith("line = input()")
    picks = [(s.pick, s.code, s.time_ms) for s in recap.solutions]
    assert picks == [
        (Pick.SHORTEST, commented_short, 40),
        (Pick.FASTEST, long, 9),
        (Pick.FIRST, long, 50),
    ]
    assert [s.author for s in recap.solutions] == ["learner12", "learner13", "learner11"]
    assert recap.solutions[0].length == len("print(2)")


async def test_a_day_without_shared_solutions_recaps_the_reference_alone(
    sessions: Sessions,
) -> None:
    post_id = await _posted_day(sessions)
    async with sessions() as session:
        recap = await recap_of(session, post_id)
        assert recap is not None
        assert recap.solutions == ()
        assert await recap_of(session, post_id + 1000) is None


async def test_a_solution_a_moderator_hid_is_not_recapped(sessions: Sessions, clock: Clock) -> None:
    post_id = await _posted_day(sessions)
    slug = await _task_of(sessions, post_id)
    ada, bob = [await make_learner(sessions, i) for i in (11, 12)]
    clock.now = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    await _submit(sessions, clock, ada, slug, "# accept\nprint('rude')\n")
    await _submit(sessions, clock, bob, slug, "# accept\nprint('kind')\n")
    async with session_scope(sessions) as session:
        await session.execute(
            update(Submission)
            .where(Submission.user_id == ada)
            .values(share_hidden_at=clock.now + timedelta(hours=1))
        )
    async with sessions() as session:
        recap = await recap_of(session, post_id)
    assert recap is not None
    assert [s.code for s in recap.solutions] == ["# accept\nprint('kind')\n"]


async def test_a_servers_own_task_is_recapped_with_its_solutions(
    sessions: Sessions, clock: Clock
) -> None:
    await add_task(sessions, "our-echo", GUILD, solution="print(input())  # ours\n")
    async with session_scope(sessions) as session:
        await set_channel(session, GUILD, 1)
        post = await choose_daily(session, GUILD, DAY, "our-echo")
        await record_daily_posted(session, post.id, MESSAGE, clock.now)
        post_id = post.id
    ada = await make_learner(sessions, 21)
    clock.now = datetime(2026, 5, 4, 13, 0, tzinfo=UTC)
    await _submit(sessions, clock, ada, "our-echo", "# accept\nprint(3)\n")
    async with sessions() as session:
        (due,) = await due_recaps(session, datetime(2026, 5, 5, 0, 0, tzinfo=UTC))
        recap = await recap_of(session, due.post_id)
    assert recap is not None
    assert (recap.post_id, recap.task_slug) == (post_id, "our-echo")
    assert recap.reference == "print(input())  # ours\n"
    assert [(s.pick, s.author) for s in recap.solutions] == [(Pick.SHORTEST, "learner21")]
