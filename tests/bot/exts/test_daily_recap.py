"""The recap after the day: once the day's challenge is over in the server's zone, its thread
gets the reference solution and the day's shared accepted solutions, all behind spoilers, once,
across restarts and crashes; an archived thread is reopened, one the bot cannot reopen or that
is gone is reported to the moderators."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from sqlalchemy import select

from bot.client import CodestreakBot
from bot.render.recap import recap_marker, spoiler_block
from core.daily import choose_daily
from core.db import session_scope
from core.guilds import set_mod_log_channel
from core.models import DailyPost
from tests.fakediscord import FakeChannel, FakeMember, FakeMessage
from tests.support.bot_scene import CODE_FIELD, ECHO_RIGHT, GRADING_TIMEOUT_S, PROGRAMS, bot_on
from tests.support.daily_world import MONDAY, World, run_check
from tests.support.fake_grader import ScriptedGrader

SHARE = "Share my accepted solution"
ECHO_LOOP = "line = input()\nfor _ in range(2):\n    print(line)\n"
ECHO_MINE = ECHO_RIGHT + "# mine alone\n"
ECHO_LONG = "line = input()\n" + "# a very long explanation\n" * 80 + "print(line)\nprint(line)\n"
REFERENCE = "line = input()\nprint(line)\nprint(line)\n"
TUESDAY_NIGHT = datetime(2026, 5, 5, 0, 30, tzinfo=UTC)


def grader() -> ScriptedGrader:
    """Runs the programs the learners here submit."""
    echo_twice = PROGRAMS[ECHO_RIGHT]
    return ScriptedGrader(
        programs={**PROGRAMS, ECHO_LOOP: echo_twice, ECHO_LONG: echo_twice, ECHO_MINE: echo_twice}
    )


@asynccontextmanager
async def running(world: World) -> AsyncIterator[CodestreakBot]:
    """The bot on the world, with Monday's challenge (Echo twice) posted with its thread."""
    async with session_scope(world.sessions) as session:
        await choose_daily(session, world.guild.id, MONDAY, "echo-twice")
    async with bot_on(world.fake, world.guild, world.sessions, grader(), clock=world.clock) as bot:
        await run_check(bot)
        yield bot


def thread_of(world: World) -> FakeChannel:
    """Monday's thread."""
    (thread,) = world.fake.threads_of(world.channel)
    return thread


def recaps_in(world: World) -> list[FakeMessage]:
    """The recaps the bot posted in Monday's thread."""
    return [
        m
        for m in world.fake.bot_messages_in(thread_of(world))
        if m.content.startswith(recap_marker(MONDAY))
    ]


async def submit(world: World, member: FakeMember, code: str, *, share: bool) -> None:
    """`member` submits `code` for Echo twice through the code box, sharing it or not."""
    record = await world.fake.send_slash(world.channel, member, "submit", {"task": "echo-twice"})
    await record.wait_for_modal()
    submitted = await world.fake.submit_modal(record, {CODE_FIELD: code, SHARE: share})
    verdict = await submitted.wait_for_response(GRADING_TIMEOUT_S)
    assert verdict.embeds[0]["title"] == "✅ Accepted · Echo twice"


async def recap_row(world: World) -> DailyPost:
    """Monday's post as stored."""
    async with world.sessions() as session:
        post = await session.scalar(select(DailyPost).where(DailyPost.day == MONDAY))
        assert post is not None
        return post


async def test_the_recap_shows_the_reference_and_shared_solutions_once(world: World) -> None:
    ada, bob, cy = (world.fake.add_member(world.guild, name) for name in ("ada", "bob", "cy"))
    async with running(world) as bot:
        await submit(world, ada, ECHO_RIGHT, share=True)
        await submit(world, bob, ECHO_LOOP, share=True)
        await submit(world, cy, ECHO_MINE, share=False)
        await run_check(bot)
        assert recaps_in(world) == []  # the day is not over
        world.clock.now = TUESDAY_NIGHT
        await run_check(bot)
        await run_check(bot)
    async with bot_on(world.fake, world.guild, world.sessions, grader(), clock=world.clock) as bot:
        await run_check(bot)
    (recap,) = recaps_in(world)
    assert f"Reference solution:\n{spoiler_block(REFERENCE)}" in recap.content
    assert f"**Shortest** · by ada (36 characters):\n{spoiler_block(ECHO_RIGHT)}" in recap.content
    assert "**Fastest** · by bob (" in recap.content
    assert spoiler_block(ECHO_LOOP) in recap.content
    assert "by cy" not in recap.content
    assert "mine alone" not in recap.content
    assert recap.mention_roles == []
    assert (await recap_row(world)).recap_posted_at == TUESDAY_NIGHT
    world.fake.assert_no_violations()


async def test_a_recap_too_long_for_a_message_attaches_solutions_as_spoiler_files(
    world: World,
) -> None:
    ada = world.fake.add_member(world.guild, "ada")
    async with running(world) as bot:
        await submit(world, ada, ECHO_LONG, share=True)
        world.clock.now = TUESDAY_NIGHT
        await run_check(bot)
    (recap,) = recaps_in(world)
    assert len(recap.content) <= 2000
    (attached,) = recap.attachments
    assert attached.filename == "SPOILER_shortest-ada.py"
    assert attached.content.decode() == ECHO_LONG
    assert "attached as `shortest-ada.py` (spoiler)" in recap.content
    assert spoiler_block(REFERENCE) in recap.content
    world.fake.assert_no_violations()


async def test_a_recap_sent_before_a_crash_is_recorded_not_sent_again(world: World) -> None:
    async with running(world) as bot:
        sent = world.fake.add_message(
            thread_of(world), world.fake.bot_user, f"{recap_marker(MONDAY)}\n(sent, then crashed)"
        )
        world.clock.now = TUESDAY_NIGHT
        await run_check(bot)
    assert recaps_in(world) == [sent]
    assert (await recap_row(world)).recap_posted_at == TUESDAY_NIGHT
    world.fake.assert_no_violations()


async def test_an_archived_thread_is_reopened_a_locked_one_reported_until_reopened(
    world: World,
) -> None:
    log = world.fake.add_text_channel(world.guild, "mod-log")
    async with session_scope(world.sessions) as session:
        await set_mod_log_channel(session, world.guild.id, log.id)
    async with running(world) as bot:
        thread = thread_of(world)
        world.fake.set_thread_state(thread, archived=True, locked=True)
        world.clock.now = TUESDAY_NIGHT
        await run_check(bot)
        assert recaps_in(world) == []
        report = await world.fake.wait_for_bot_message(log)
        assert "is archived and I cannot reopen it" in report.content
        row = await recap_row(world)
        assert (row.recap_posted_at, row.recap_claimed_by) == (None, None)  # due again

        world.fake.set_thread_state(thread, archived=True, locked=False)  # a moderator unlocks
        await run_check(bot)
    assert len(recaps_in(world)) == 1
    assert not thread.archived
    assert (await recap_row(world)).recap_posted_at == TUESDAY_NIGHT
    world.fake.assert_no_violations()


async def test_a_thread_that_is_gone_is_reported_and_its_recap_given_up(world: World) -> None:
    log = world.fake.add_text_channel(world.guild, "mod-log")
    async with session_scope(world.sessions) as session:
        await set_mod_log_channel(session, world.guild.id, log.id)
    async with running(world):
        thread = thread_of(world)
    world.guild.channels.pop(thread.id)  # deleted while the bot was away
    async with bot_on(world.fake, world.guild, world.sessions, grader(), clock=world.clock) as bot:
        world.clock.now = TUESDAY_NIGHT
        await run_check(bot)
        report = await world.fake.wait_for_bot_message(log)
        await run_check(bot)
    assert "is gone, so its recap" in report.content
    assert (await recap_row(world)).recap_posted_at == TUESDAY_NIGHT
    assert len(world.fake.bot_messages_in(log)) == 1
    world.fake.assert_no_violations()
