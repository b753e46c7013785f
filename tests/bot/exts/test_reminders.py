"""Streak reminders end to end: the real bot on the fake Discord sends one DM a day after the
learner's reminder time while their streak is alive and the day does not count yet; a learner
with closed DMs is mentioned in the day's thread; restarts and crashed senders never make a
second one; `/remind` answers privately with the next reminder.

Each test starts its own fake, database and bot (or bots, one after another, as restarting
processes would). The server posts its daily challenge at 09:00 UTC; the clock starts on Monday
at 19:00 UTC and learners are reminded at 20:00 in their zone (UTC unless told otherwise).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import discord
import pytest
from aiohttp import ClientResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_bot
from bot.client import CodestreakBot
from bot.exts.reminders import ReminderScheduler
from bot.exts.reminders._scheduler import SEND_CONCURRENCY
from bot.exts.reminders._sender import ReminderSender
from core.db import create_engine, create_sessionmaker, session_scope
from core.guilds import set_post_time
from core.models import DailyPost, StreakReminder, Task, User
from core.reminders import REMINDER_LEASE, Attempt, DueReminder, claim_reminder
from tests.fakediscord import (
    FakeChannel,
    FakeMember,
    FakeMessage,
    running_bot,
)
from tests.support.bot_scene import acknowledged, bot_on, bot_settings
from tests.support.clocks import Clock
from tests.support.daily_world import World as DailyWorld
from tests.support.daily_world import daily_world
from tests.support.fake_grader import ScriptedGrader
from tests.support.reminders import MONDAY, SUNDAY, learner_row, streaking_learner

REMINDED_AT = datetime(2026, 5, 4, 20, 1, tzinfo=UTC)
#: a database that cannot be opened, standing in for an outage
UNREACHABLE = "sqlite+aiosqlite:////nonexistent/folder/gone.db"


class World(DailyWorld):
    """The daily server of `daily_world`, its clock at Monday 19:00 UTC, with reminders' helpers."""

    async def learner(self, name: str, **changes: Any) -> tuple[FakeMember, int]:
        """A member with reminders on and a streak alive on Monday (see `streaking_learner`)."""
        member = self.fake.add_member(self.guild, name)
        user_id = await streaking_learner(
            self.sessions, member.user.id, self.guild.id, name=name, **changes
        )
        return member, user_id

    def dms(self, member: FakeMember) -> list[FakeMessage]:
        """What the bot sent the member by DM."""
        return self.fake.dm_messages_to(member)

    async def thread(self) -> FakeChannel:
        """The discussion thread of the day's post."""
        return await self.fake.wait_until(
            lambda: next(iter(self.fake.threads_of(self.channel)), None), what="the thread"
        )


@pytest.fixture
async def world(engine: AsyncEngine, database_url: str, tmp_path: Path) -> AsyncIterator[World]:
    async with daily_world(engine, database_url, tmp_path) as base:
        yield World(
            base.fake,
            base.guild,
            base.channel,
            base.sessions,
            Clock(datetime(2026, 5, 4, 19, 0, tzinfo=UTC)),
        )


@asynccontextmanager
async def global_bot(world: World) -> AsyncIterator[CodestreakBot]:
    """The bot with its commands synced globally, as in production: they work in DMs too."""
    bot = create_bot(
        bot_settings(world.fake, world.guild, discord_guild_ids=[]),
        world.sessions,
        ScriptedGrader(),
        clock=world.clock,
        guild_ready_timeout=0.1,
    )
    async with running_bot(world.fake, bot):
        await world.fake.wait_for_command_sync()
        yield bot


async def remind(bot: CodestreakBot) -> None:
    """One pass of the reminder loop, as it runs every minute."""
    scheduler = bot.get_cog("ReminderScheduler")
    assert isinstance(scheduler, ReminderScheduler)
    await scheduler.check()


async def reminder_rows(world: World) -> list[StreakReminder]:
    async with world.sessions() as session:
        return list(await session.scalars(select(StreakReminder).order_by(StreakReminder.id)))


async def test_a_live_streak_gets_one_dm_after_the_reminder_time_and_never_again(
    world: World,
) -> None:
    ada, ada_id = await world.learner("ada")
    counted, _ = await world.learner("bo", last_day=MONDAY)
    off, _ = await world.learner("cy", reminders=False)
    async with global_bot(world) as bot:
        thread = await world.thread()  # made once the post is recorded
        await remind(bot)
        assert world.dms(ada) == []  # 19:00: not yet
        world.clock.now = REMINDED_AT
        await remind(bot)
        await remind(bot)
    async with global_bot(world) as restarted:
        await remind(restarted)
        world.clock.now = REMINDED_AT + timedelta(hours=3)
        await remind(restarted)
    (dm,) = world.dms(ada)
    assert world.dms(counted) == world.dms(off) == []
    commands = {c["name"]: c["id"] for c in world.fake.registered_commands()}
    day_ends = int(datetime(2026, 5, 5, tzinfo=UTC).timestamp())
    assert dm.content.splitlines()[0] == (
        f"🔥 Your **3-day streak** is waiting for today's solve: your day ends <t:{day_ends}:R> "
        f"(<t:{day_ends}:t>)."
    )
    async with world.sessions() as session:
        slug = await session.scalar(
            select(Task.slug).join(DailyPost).where(DailyPost.message_id == thread.id)
        )
    assert f"Today's challenge in **{world.guild.name}**" in dm.content
    assert f"</submit:{commands['submit']}> `task:{slug}`" in dm.content  # clickable in a DM
    assert f"</remind off:{commands['remind']}>" in dm.content
    (row,) = await reminder_rows(world)
    assert (row.user_id, row.day, row.sent_at) == (ada_id, MONDAY, REMINDED_AT)
    world.fake.assert_no_violations()


async def test_closed_dms_get_one_mention_in_the_days_thread(world: World) -> None:
    closed, closed_id = await world.learner("dee")
    closed.user.dms_closed = True
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        thread = await world.thread()
        world.clock.now = REMINDED_AT
        await remind(bot)
        await remind(bot)
    (mention,) = world.fake.bot_messages_in(thread)
    assert mention.content.startswith(f"<@{closed.user.id}> 🔥 Your **3-day streak**")
    assert world.dms(closed) == []
    assert [(r.user_id, r.sent_at) for r in await reminder_rows(world)] == [
        (closed_id, REMINDED_AT)
    ]
    world.fake.assert_no_violations()


async def test_closed_dms_without_a_thread_are_given_up_and_still_count_as_reminded(
    world: World,
) -> None:
    stranger = world.fake.add_member(world.guild, "eve")
    stranger.user.dms_closed = True
    eve_id = await streaking_learner(world.sessions, stranger.user.id, None, name="eve")
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        thread = await world.thread()
        world.clock.now = REMINDED_AT
        await remind(bot)
        world.clock.now += timedelta(minutes=10)
        await remind(bot)
    assert world.fake.bot_messages_in(thread) == []
    assert [(r.user_id, r.sent_at) for r in await reminder_rows(world)] == [(eve_id, REMINDED_AT)]
    world.fake.assert_no_violations()


async def test_a_reminder_whose_sender_crashed_goes_out_once_its_claim_expires(
    world: World,
) -> None:
    ada, ada_id = await world.learner("ada")
    async with session_scope(world.sessions) as session:
        assert await claim_reminder(session, ada_id, MONDAY, "crashed process", REMINDED_AT)
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        world.clock.now = REMINDED_AT + REMINDER_LEASE / 2
        await remind(bot)
        assert world.dms(ada) == []  # the crashed process's claim still holds
        world.clock.now = REMINDED_AT + REMINDER_LEASE
        await remind(bot)
        await remind(bot)
    assert len(world.dms(ada)) == 1
    (row,) = await reminder_rows(world)
    assert row.sent_at == REMINDED_AT + REMINDER_LEASE
    world.fake.assert_no_violations()


@pytest.mark.parametrize("dms_closed", [False, True], ids=["dm", "thread"])
async def test_a_reminder_sent_just_before_a_crash_is_found_and_not_sent_again(
    world: World, dms_closed: bool
) -> None:
    """The process sent the reminder and crashed before recording it: the next attempt finds
    it where it was sent and only records it."""
    ada, ada_id = await world.learner("ada")
    ada.user.dms_closed = dms_closed
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        thread = await world.thread()
        async with session_scope(world.sessions) as session:
            await claim_reminder(session, ada_id, MONDAY, "crashed process", REMINDED_AT)
        where = thread if dms_closed else world.fake.open_dm(ada.user)
        mention = f"<@{ada.user.id}> " if dms_closed else ""
        sent = world.fake.add_message(
            where, world.fake.bot_user, f"{mention}🔥 Your **3-day streak** is waiting"
        )
        world.clock.now = REMINDED_AT + REMINDER_LEASE
        await remind(bot)
    assert world.fake.bot_messages_in(where) == [sent]
    (row,) = await reminder_rows(world)
    assert row.sent_at == REMINDED_AT + REMINDER_LEASE
    world.fake.assert_no_violations()


async def test_an_outage_of_discord_leaves_the_reminder_to_the_next_check(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada, _ = await world.learner("ada")
    send = discord.DMChannel.send
    # discord.py reads only the status and reason of the response it is given
    unavailable = cast(ClientResponse, SimpleNamespace(status=503, reason="Service Unavailable"))
    outages = [unavailable]

    async def unavailable_once(channel: discord.DMChannel, *args: Any, **kwargs: Any) -> Any:
        if outages:
            raise discord.HTTPException(outages.pop(), "upstream connect error")
        return await send(channel, *args, **kwargs)

    monkeypatch.setattr(discord.DMChannel, "send", unavailable_once)
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        world.clock.now = REMINDED_AT
        await remind(bot)
        assert world.dms(ada) == []
        (released,) = await reminder_rows(world)
        assert (released.claimed_by, released.sent_at) == (None, None)
        world.clock.now += timedelta(minutes=1)
        await remind(bot)
    assert len(world.dms(ada)) == 1
    world.fake.assert_no_violations()


async def test_a_learner_discord_no_longer_knows_is_given_up_once(world: World) -> None:
    gone = await streaking_learner(world.sessions, 424242, world.guild.id, name="gone")
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        world.clock.now = REMINDED_AT
        await remind(bot)
        await remind(bot)
    assert [(r.user_id, r.sent_at) for r in await reminder_rows(world)] == [(gone, REMINDED_AT)]
    assert sum("/users/@me/channels" in request for request in world.fake.requests) == 1


async def test_two_processes_checking_at_once_send_one_reminder(world: World) -> None:
    ada, _ = await world.learner("ada")
    grader = ScriptedGrader()
    async with (
        bot_on(world.fake, world.guild, world.sessions, grader, clock=world.clock) as first,
        bot_on(world.fake, world.guild, world.sessions, grader, clock=world.clock) as second,
    ):
        world.clock.now = REMINDED_AT
        await asyncio.gather(remind(first), remind(second), remind(first), remind(second))
    assert len(world.dms(ada)) == 1
    world.fake.assert_no_violations()


async def test_one_stuck_learner_does_not_hold_up_the_others(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    stuck, stuck_id = await world.learner("stuck")
    others = [(await world.learner(f"other{n}"))[0] for n in range(SEND_CONCURRENCY + 2)]
    deliver = ReminderSender._deliver

    async def hang_for_one(sender: ReminderSender, due: DueReminder, attempt: Attempt) -> object:
        if due.user_id == stuck_id:
            await asyncio.Event().wait()
        return await deliver(sender, due, attempt)

    monkeypatch.setattr(ReminderSender, "_deliver", hang_for_one)
    monkeypatch.setattr("bot.exts.reminders._scheduler.SEND_TIMEOUT_S", 3.0)
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        world.clock.now = REMINDED_AT
        await asyncio.wait_for(remind(bot), 10)
    assert [len(world.dms(member)) for member in others] == [1] * len(others)
    assert world.dms(stuck) == []
    world.fake.assert_no_violations()


async def test_a_database_outage_is_survived_and_the_reminder_sent_next_check(
    world: World,
) -> None:
    ada, _ = await world.learner("ada")
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        world.clock.now = REMINDED_AT
        working = bot.services.sessions
        bot.services.sessions = create_sessionmaker(create_engine(UNREACHABLE))
        await remind(bot)  # logged, not raised
        bot.services.sessions = working
        await remind(bot)
    assert len(world.dms(ada)) == 1
    world.fake.assert_no_violations()


async def test_remind_answers_privately_with_the_next_reminder_and_the_zone(
    world: World,
) -> None:
    ada, ada_id = await world.learner("ada", reminders=False, last_day=SUNDAY)
    general = world.fake.add_text_channel(world.guild, "general")
    async with bot_on(world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock):

        async def answer(name: str, options: dict[str, object] | None = None) -> FakeMessage:
            record = await world.fake.send_slash(general, ada, name, options)
            await acknowledged(record)
            message = await record.wait_for_response()
            assert message.ephemeral
            return message

        turned_on = await answer("remind on", {"time": "8:30 pm"})
        at = int(datetime(2026, 5, 4, 20, 30, tzinfo=UTC).timestamp())
        assert "Streak reminders are **on**, at **20:30**" in turned_on.content
        assert "your time (UTC, your server's zone)" in turned_on.content
        assert f"<t:{at}:f> (<t:{at}:R>)" in turned_on.content
        assert "`timezone:`" in turned_on.content
        refused = await answer("remind time", {"when": "whenever"})
        assert refused.content.startswith("'whenever' is not a time; use")
        moved = await answer("remind time", {"when": "7am"})
        tomorrow = int(datetime(2026, 5, 5, 7, 0, tzinfo=UTC).timestamp())
        assert f"<t:{tomorrow}:f>" in moved.content
        async with session_scope(world.sessions) as session:
            learner = await session.get(User, ada_id)
            assert learner is not None
            learner.timezone = "Europe/Berlin"
        shown = await answer("remind on")
        assert "at **07:00** your time (Europe/Berlin, your own zone)" in shown.content
        berlin = int(datetime(2026, 5, 5, 5, 0, tzinfo=UTC).timestamp())
        assert f"<t:{berlin}:f> (<t:{berlin}:R>)" in shown.content
        stopped = await answer("remind off")
        assert stopped.content.startswith("🔕 Streak reminders are **off**.")
    stored = await learner_row(world.sessions, ada_id)
    assert (stored.reminders, stored.reminder_time.isoformat()) == (False, "07:00:00")
    world.fake.assert_no_violations()


async def test_remind_in_dms_reads_the_time_in_the_learners_first_servers_zone(
    world: World,
) -> None:
    async with session_scope(world.sessions) as session:
        await set_post_time(session, world.guild.id, "09:00", "Asia/Tokyo")
    ada, _ = await world.learner("ada", reminders=False)
    async with global_bot(world):
        record = await world.fake.send_slash(
            world.fake.open_dm(ada.user), ada, "remind on", {"time": "10pm"}
        )
        await acknowledged(record)
        answer = await record.wait_for_response()
    assert answer.ephemeral
    assert "at **22:00** your time (Asia/Tokyo, your server's zone)" in answer.content
    # Monday 19:00 UTC is Tuesday 04:00 in Tokyo: the next is Tuesday 22:00 there
    at = int(datetime(2026, 5, 5, 13, 0, tzinfo=UTC).timestamp())
    assert f"<t:{at}:f> (<t:{at}:R>)" in answer.content
    commands = {c["name"]: c["id"] for c in world.fake.registered_commands()}
    assert f"</remind time:{commands['remind']}>" in answer.content
    world.fake.assert_no_violations()
