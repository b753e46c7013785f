"""The daily challenge's choice: stable for a day, rotating without repeats, race-safe, drawn
from what the server sees; moderators choose or skip a day until it is posted. Due posts are
found for a process's shards only, and a post is claimed by one process at a time."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.daily import (
    DAILY_POST_LEASE,
    DailyRefused,
    DaySkipped,
    NoDailyChallenge,
    NoPublishedTasks,
    choose_daily,
    claim_daily,
    daily_for,
    release_daily,
    skip_daily,
    upcoming_daily,
)
from core.daily_mix import parse_mix
from core.db import session_scope
from core.guilds import (
    Shards,
    daily_challenge,
    due_dailies,
    record_daily_posted,
    set_channel,
    set_daily_mix,
)
from core.models import DailyPost, Task, User
from tests.support.catalogue import GUILD_A, GUILD_B, add_task
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.learners import GUILD, make_learner, solve

pytestmark = pytest.mark.usefixtures("content")


async def _any_difficulty(sessions: Sessions, *guild_ids: int) -> None:
    """Let these servers' challenges have any difficulty: the rotation is over every task."""
    async with session_scope(sessions) as session:
        for guild_id in guild_ids:
            await set_daily_mix(session, guild_id, parse_mix("every day: any"))


async def test_daily_choice_is_stable_and_rotates_without_repeats(sessions: Sessions) -> None:
    await _any_difficulty(sessions, GUILD)
    async with session_scope(sessions) as session:
        first = await daily_for(session, GUILD, date(2026, 5, 1))
        again = await daily_for(session, GUILD, date(2026, 5, 1))
        assert again.task_id == first.task_id
        published = await session.scalar(
            select(func.count()).select_from(Task).where(Task.published.is_(True))
        )
        chosen = [first.task_id] + [
            (await daily_for(session, GUILD, date(2026, 5, 1) + timedelta(days=i))).task_id
            for i in range(1, 2 * int(published or 0))
        ]
    assert published == 3
    assert len(set(chosen[:3])) == 3
    assert len(set(chosen[3:])) == 3
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(DailyPost)) == 6


async def test_daily_choice_is_race_safe(sessions: Sessions) -> None:
    async def ask() -> int:
        async with session_scope(sessions) as session:
            return (await daily_for(session, GUILD, date(2026, 6, 1))).task_id

    assert len(set(await asyncio.gather(*(ask() for _ in range(8))))) == 1


async def test_no_published_task_says_so(sessions: Sessions) -> None:
    async with session_scope(sessions) as session:
        for task in await session.scalars(select(Task)):
            task.published = False
    async with session_scope(sessions) as session:
        with pytest.raises(NoPublishedTasks, match="publish"):
            await daily_for(session, GUILD, date(2026, 5, 1))


DAY = date(2026, 5, 4)  # the day of tests.support.clocks.Clock


async def _slug(sessions: Sessions, task_id: int) -> str:
    async with sessions() as session:
        slug = await session.scalar(select(Task.slug).where(Task.id == task_id))
    assert slug is not None
    return slug


async def _rotation_from(sessions: Sessions, guild_id: int, first: date, days: int) -> list[str]:
    async with session_scope(sessions) as session:
        chosen = [
            (await daily_for(session, guild_id, first + timedelta(days=i))).task_id
            for i in range(days)
        ]
    return [await _slug(sessions, task_id) for task_id in chosen]


async def _rotation(sessions: Sessions, guild_id: int, days: int) -> list[str]:
    return await _rotation_from(sessions, guild_id, DAY, days)


_DIFFICULTY = {"easy-one": "easy", "easy-two": "easy", "medium-one": "medium", "hard-one": "hard"}


async def test_a_servers_own_tasks_are_drawn_only_there(sessions: Sessions) -> None:
    await add_task(sessions, "a-own", GUILD_A)
    await add_task(sessions, "b-own", GUILD_B)
    await add_task(sessions, "a-draft", GUILD_A, published=False)
    shared = {"easy-one", "easy-two", "hard-one"}
    await _any_difficulty(sessions, GUILD_A, GUILD_B, 3000)
    in_a, in_b = await _rotation(sessions, GUILD_A, 8), await _rotation(sessions, GUILD_B, 8)
    elsewhere = await _rotation(sessions, 3000, 6)
    assert set(in_a[:4]) == set(in_a[4:]) == shared | {"a-own"}
    assert set(in_b[:4]) == set(in_b[4:]) == shared | {"b-own"}
    assert set(elsewhere[:3]) == set(elsewhere[3:]) == shared


async def test_each_day_has_the_difficulty_of_the_servers_mix(sessions: Sessions) -> None:
    monday = date(2026, 5, 4)
    await add_task(sessions, "medium-one", difficulty="medium")
    by_default = await _rotation_from(sessions, GUILD_A, monday, 7)
    assert [_DIFFICULTY[slug] for slug in by_default] == ["easy"] * 4 + ["medium"] + ["hard"] * 2
    assert set(by_default[:4]) == {"easy-one", "easy-two"}
    async with session_scope(sessions) as session:
        await set_daily_mix(session, GUILD_B, parse_mix("sat,sun: easy; every day: hard"))
    chosen = await _rotation_from(sessions, GUILD_B, monday, 7)
    assert [_DIFFICULTY[slug] for slug in chosen] == ["hard"] * 5 + ["easy"] * 2


async def test_a_day_without_tasks_of_its_difficulty_takes_any(sessions: Sessions) -> None:
    async with session_scope(sessions) as session:
        await set_daily_mix(session, GUILD_A, parse_mix("every day: medium"))
    chosen = await _rotation_from(sessions, GUILD_A, DAY, 6)
    assert set(chosen[:3]) == set(chosen[3:]) == {"easy-one", "easy-two", "hard-one"}


async def test_moderators_choose_a_task_their_server_sees(sessions: Sessions) -> None:
    await add_task(sessions, "a-own", GUILD_A, title="A's own")
    await add_task(sessions, "b-own", GUILD_B)
    async with session_scope(sessions) as session:
        for guild_id, slug in [(GUILD_A, "b-own"), (GUILD_B, "a-own"), (GUILD_A, "secret")]:
            with pytest.raises(DailyRefused, match=f"no published task '{slug}' in this server"):
                await choose_daily(session, guild_id, DAY, slug)
        await choose_daily(session, GUILD_A, DAY, "easy-one")
        chosen = await choose_daily(session, GUILD_A, DAY, "a-own")
        assert (await upcoming_daily(session, GUILD_A, DAY)).id == chosen.id
        challenge = await daily_challenge(session, GUILD_A, DAY)
    assert (challenge.task.slug, challenge.task.title) == ("a-own", "A's own")
    assert challenge.task.owner_guild_id == GUILD_A
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(DailyPost)) == 1


async def test_a_skipped_day_has_no_challenge_until_restored(sessions: Sessions) -> None:
    async with session_scope(sessions) as session:
        await set_channel(session, GUILD, 7)
        skipped = await skip_daily(session, GUILD, DAY)
        would_have_been = skipped.task_id
    noon = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
    async with session_scope(sessions) as session:
        with pytest.raises(DaySkipped, match="skipped the daily challenge of 2026-05-04"):
            await daily_for(session, GUILD, DAY)
        with pytest.raises(NoDailyChallenge):
            await daily_challenge(session, GUILD, DAY)
        assert await due_dailies(session, noon) == []
        preview = await upcoming_daily(session, GUILD, DAY)
        assert (preview.skipped, preview.task_id) == (True, would_have_been)
        # a skipped day used nothing: the next day gets the task it would have had
        assert (await daily_for(session, GUILD, DAY + timedelta(days=1))).task_id == would_have_been
        await skip_daily(session, GUILD, DAY, skip=False)
    async with session_scope(sessions) as session:
        assert (await daily_for(session, GUILD, DAY)).task_id == would_have_been
        assert [due.day for due in await due_dailies(session, noon)] == [DAY]
        await skip_daily(session, GUILD, DAY)
        chosen = await choose_daily(session, GUILD, DAY, "hard-one")  # choosing restores a day
        assert not chosen.skipped


async def test_a_posted_day_stays_as_it_is(sessions: Sessions) -> None:
    async with session_scope(sessions) as session:
        challenge = await daily_challenge(session, GUILD, DAY)
        await record_daily_posted(session, challenge.post_id, 555)
    async with session_scope(sessions) as session:
        for change in (
            choose_daily(session, GUILD, DAY, "hard-one"),
            skip_daily(session, GUILD, DAY),
            skip_daily(session, GUILD, DAY, skip=False),
        ):
            with pytest.raises(DailyRefused, match="2026-05-04 is already posted"):
                await change
        assert (await daily_for(session, GUILD, DAY)).task_id == (
            await session.scalar(select(Task.id).where(Task.slug == challenge.task.slug))
        )


async def test_nothing_published_leaves_nothing_to_skip(sessions: Sessions) -> None:
    async with session_scope(sessions) as session:
        for task in await session.scalars(select(Task)):
            task.published = False
    async with session_scope(sessions) as session:
        with pytest.raises(DailyRefused, match="no published task for this server yet"):
            await skip_daily(session, GUILD, DAY)


async def test_a_skipped_day_gives_no_daily_bonus(sessions: Sessions, clock: Clock) -> None:
    async with session_scope(sessions) as session:
        task_id = (await skip_daily(session, GUILD, DAY)).task_id
    slug = await _slug(sessions, task_id)
    skipped, restored = await make_learner(sessions, 1), await make_learner(sessions, 2)
    await solve(sessions, clock, skipped, slug)
    async with session_scope(sessions) as session:
        await skip_daily(session, GUILD, DAY, skip=False)
    await solve(sessions, clock, restored, slug)
    async with sessions() as session:
        points = {u.id: u.points for u in await session.scalars(select(User))}
    assert points[restored] == points[skipped] + 5  # the default daily bonus


def _on_shard(shard_id: int, count: int, serial: int) -> int:
    """A server id as Discord makes them (a time in the high bits) that falls on that shard."""
    millis = (250_000_000_000 + serial) * count + shard_id
    return (millis << 22) | serial


async def test_due_posts_are_found_for_the_processes_shards_only(sessions: Sessions) -> None:
    servers = {
        (shard, serial): _on_shard(shard, 3, serial) for shard in range(3) for serial in (1, 2)
    }
    async with session_scope(sessions) as session:
        for guild_id in servers.values():
            await set_channel(session, guild_id, 7)
    noon = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)

    async def due_in(shards: Shards | None) -> set[int]:
        async with sessions() as session:
            return {due.guild_id for due in await due_dailies(session, noon, shards)}

    assert await due_in(Shards(3, (1,))) == {servers[1, 1], servers[1, 2]}
    assert await due_in(Shards(3, (0, 2))) == {servers[s, n] for s in (0, 2) for n in (1, 2)}
    assert await due_in(Shards(3, (0, 1, 2))) == await due_in(None) == set(servers.values())


async def _claim(sessions: Sessions, post_id: int, claimant: str, now: datetime) -> bool:
    async with session_scope(sessions) as session:
        return await claim_daily(session, post_id, claimant, now)


async def _post_row(sessions: Sessions, post_id: int) -> DailyPost:
    async with sessions() as session:
        post = await session.get(DailyPost, post_id)
    assert post is not None
    return post


async def test_a_post_is_claimed_by_one_process_until_posted_released_or_expired(
    sessions: Sessions,
) -> None:
    async with session_scope(sessions) as session:
        post_id = (await daily_challenge(session, GUILD, DAY)).post_id
    noon = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
    assert await _claim(sessions, post_id, "one", noon)
    assert not await _claim(sessions, post_id, "two", noon + DAILY_POST_LEASE / 2)
    assert not await _claim(sessions, post_id, "one", noon)  # not even by its holder again
    row = await _post_row(sessions, post_id)
    assert (row.claimed_by, row.claimed_until) == ("one", noon + DAILY_POST_LEASE)

    # a holder that crashed: its claim expires, and another takes it
    assert await _claim(sessions, post_id, "two", noon + DAILY_POST_LEASE)
    # releasing is its holder's alone
    async with session_scope(sessions) as session:
        await release_daily(session, post_id, "one")
    assert (await _post_row(sessions, post_id)).claimed_by == "two"
    async with session_scope(sessions) as session:
        await release_daily(session, post_id, "two")
    assert await _claim(sessions, post_id, "three", noon)

    async with session_scope(sessions) as session:
        await record_daily_posted(session, post_id, 555, noon)
    row = await _post_row(sessions, post_id)
    assert (row.message_id, row.claimed_by, row.claimed_until) == (555, None, None)
    assert not await _claim(sessions, post_id, "four", noon + 2 * DAILY_POST_LEASE)


async def test_a_skipped_day_cannot_be_claimed(sessions: Sessions) -> None:
    async with session_scope(sessions) as session:
        post_id = (await skip_daily(session, GUILD, DAY)).id
    assert not await _claim(sessions, post_id, "one", datetime(2026, 5, 4, 12, 0, tzinfo=UTC))


async def test_of_processes_claiming_at_once_exactly_one_wins(sessions: Sessions) -> None:
    async with session_scope(sessions) as session:
        post_id = (await daily_challenge(session, GUILD, DAY)).post_id
    noon = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
    won = await asyncio.gather(*(_claim(sessions, post_id, f"p{i}", noon) for i in range(8)))
    assert sorted(won) == [False] * 7 + [True]
    assert (await _post_row(sessions, post_id)).claimed_by == f"p{won.index(True)}"
