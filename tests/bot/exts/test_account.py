"""A learner's own time zone through `/profile timezone:` and what it decides, and hints' cost in
the verdict: the real bot on the fake Discord, on SQLite and MariaDB."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.db import session_scope
from core.models import HintReveal, Task, User
from tests.fakediscord import FakeMember
from tests.support.bot_scene import ECHO_RIGHT, SHOUT_RIGHT, embed_of, field_value
from tests.support.two_servers import TwoServers

pytestmark = pytest.mark.asyncio(loop_scope="module")

#: Monday 4 May 2026, 23:00 in Tokyo
TOKYO_23H = datetime(2026, 5, 4, 14, 0, tzinfo=UTC)


@pytest.fixture
def restored_clock(servers: TwoServers) -> Iterator[TwoServers]:
    """The scene, its clock put back after the test."""
    start = servers.clock.now
    yield servers
    servers.clock.now = start


async def _learner(servers: TwoServers, member: FakeMember) -> User:
    async with servers.sessions() as session:
        learner = await session.scalar(select(User).where(User.discord_id == member.user.id))
    assert learner is not None
    return learner


def _stamp(moment: datetime, style: str) -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


async def test_a_learner_in_tokyo_gets_their_tokyo_day_counted(restored_clock: TwoServers) -> None:
    servers = restored_clock
    member = servers.member(servers.a)
    servers.clock.now = TOKYO_23H
    answer = await servers.reply(servers.a, member, "profile", {"timezone": "Asia/Tokyo"})
    assert answer.ephemeral
    midnight = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    assert "now follow **Asia/Tokyo**" in answer.content
    assert "It is 23:00 on Monday there" in answer.content
    assert _stamp(midnight, "R") in answer.content
    assert _stamp(midnight, "t") in answer.content
    assert _stamp(TOKYO_23H + timedelta(hours=24), "R") in answer.content
    # 23:30 in Tokyo (14:30 UTC), then 00:30 on Tuesday there (still Monday in the server's UTC)
    servers.clock.now = TOKYO_23H + timedelta(minutes=30)
    monday = await servers.submit_file(servers.a, member, "echo-twice", ECHO_RIGHT)
    assert field_value(monday, "Streak") == "🔥 1 day"
    servers.clock.now = TOKYO_23H + timedelta(minutes=90)
    tuesday = await servers.submit_file(servers.a, member, "shout-twice", SHOUT_RIGHT)
    assert field_value(tuesday, "Streak") == "🔥 2 days"
    learner = await _learner(servers, member)
    assert (learner.current_streak, learner.last_active_day) == (2, date(2026, 5, 5))
    profile = await servers.reply(servers.a, member, "profile")
    assert field_value(profile, "Time zone") == "Asia/Tokyo"
    servers.fake.assert_no_violations()


async def test_a_learner_cannot_switch_zones_twice_in_a_day(restored_clock: TwoServers) -> None:
    servers = restored_clock
    member = servers.member(servers.a)
    changed_at = servers.clock.now
    await servers.reply(servers.a, member, "profile", {"timezone": "Asia/Tokyo"})
    servers.clock.now += timedelta(hours=23)
    refused = await servers.reply(servers.a, member, "profile", {"timezone": "Europe/Berlin"})
    assert refused.ephemeral
    assert "less than a day ago" in refused.content
    assert "follow **Asia/Tokyo**" in refused.content
    assert _stamp(changed_at + timedelta(hours=24), "R") in refused.content
    assert (await _learner(servers, member)).timezone == "Asia/Tokyo"
    servers.clock.now += timedelta(hours=1)
    back = await servers.reply(servers.a, member, "profile", {"timezone": "server"})
    assert "follow the server's time zone (**UTC** here) again" in back.content
    assert (await _learner(servers, member)).timezone is None
    servers.fake.assert_no_violations()


async def test_a_bad_zone_is_explained_and_nothing_written(servers: TwoServers) -> None:
    member = servers.member(servers.a)
    bad = await servers.reply(servers.a, member, "profile", {"timezone": "Mars/Olympus"})
    assert bad.ephemeral
    assert "'Mars/Olympus' is not a known time zone" in bad.content
    assert "Nothing was changed." in bad.content
    learner = await _learner(servers, member)
    assert (learner.timezone, learner.timezone_changed_at) == (None, None)
    other = await servers.reply(
        servers.a, member, "profile", {"member": servers.a.moderator, "timezone": "UTC"}
    )
    assert other.ephemeral
    assert "your own time zone only" in other.content
    servers.fake.assert_no_violations()


async def test_time_zones_are_suggested_as_they_are_typed(servers: TwoServers) -> None:
    member = servers.member(servers.a)
    assert await servers.autocomplete(servers.a, member, "profile", "timezone", "berl") == [
        "Europe/Berlin"
    ]
    everything = await servers.autocomplete(servers.a, member, "profile", "timezone", "")
    assert everything[0] == "server"
    assert len(everything) == 25
    assert await servers.autocomplete(servers.a, member, "profile", "timezone", "serv") == [
        "server"
    ]


async def test_a_first_solve_after_two_hints_earns_and_says_less(servers: TwoServers) -> None:
    member = servers.member(servers.a)
    await servers.reply(servers.a, member, "profile")  # the learner exists from here
    learner = await _learner(servers, member)
    async with session_scope(servers.sessions) as session:
        task = await session.scalar(select(Task.id).where(Task.slug == "hard-echo"))
        assert task is not None
        session.add(HintReveal(user_id=learner.id, task_id=task, revealed=2))
    verdict = await servers.submit_file(servers.a, member, "hard-echo", ECHO_RIGHT)
    assert embed_of(verdict)["title"] == "✅ Accepted · Hard echo"
    assert field_value(verdict, "Points") == "+24 points (2 hints: −16) · total 24 points"
    assert (await _learner(servers, member)).points == 24
    servers.fake.assert_no_violations()
