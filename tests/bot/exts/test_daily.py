"""The daily challenge: posted at the configured time, once, across restarts, crashes and
several bot processes holding the server.

Each test starts bots one after another (or side by side) on the same fake Discord and the same
database, as restarting (or parallel) processes would. Posting does not grade anything, so the
small scripted grader stands in for the sandbox here.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, date, datetime

import discord
import pytest
from sqlalchemy import select

from bot.exts.daily import DailyPostInProgress, marker
from bot.exts.daily._poster import DailyPoster, Posted
from core.daily import DAILY_POST_LEASE, claim_daily
from core.db import session_scope
from core.guilds import daily_challenge, set_post_time
from core.models import DailyPost
from tests.fakediscord.permissions import MANAGE_GUILD, SEND_MESSAGES
from tests.support.bot_scene import bot_on
from tests.support.daily_world import MONDAY, World, run_check
from tests.support.fake_grader import ScriptedGrader


async def recorded(world: World) -> list[DailyPost]:
    """The daily post rows of the world's server."""
    async with world.sessions() as session:
        return list(
            await session.scalars(select(DailyPost).where(DailyPost.guild_id == world.guild.id))
        )


async def test_due_post_is_made_on_start_with_a_thread_and_never_again(world: World) -> None:
    async with bot_on(world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock):
        post = await world.fake.wait_for_bot_message(world.channel)
        assert post.content.startswith(marker(MONDAY))
        assert post.embeds
        thread = await world.fake.wait_until(
            lambda: next(iter(world.fake.threads_of(world.channel)), None), what="the thread"
        )
        assert thread.id == post.id
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as restarted:
        await run_check(restarted)
        await run_check(restarted)
    assert world.posts() == [post]
    (row,) = await recorded(world)
    assert (row.day, row.message_id) == (MONDAY, post.id)
    world.fake.assert_no_violations()


async def test_nothing_is_posted_before_the_time_in_the_servers_zone(world: World) -> None:
    async with session_scope(world.sessions) as session:
        await set_post_time(session, world.guild.id, "12:30", "Europe/Berlin")
    world.clock.now = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)  # 12:00 in Berlin
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        await run_check(bot)
        assert world.posts() == []
        world.clock.now = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)  # 12:30 in Berlin
        await run_check(bot)
        assert len(world.posts()) == 1
        async with session_scope(world.sessions) as session:
            await set_post_time(session, world.guild.id, "00:15")
        world.clock.now = datetime(2026, 5, 4, 22, 30, tzinfo=UTC)  # Tuesday 00:30 in Berlin
        await run_check(bot)
        await run_check(bot)
        posts = world.posts()
    assert len(posts) == 2
    assert posts[1].content.startswith(marker(date(2026, 5, 5)))
    assert {row.day for row in await recorded(world)} == {MONDAY, date(2026, 5, 5)}
    world.fake.assert_no_violations()


async def test_crash_after_sending_before_recording_is_healed_without_a_second_post(
    world: World,
) -> None:
    async with session_scope(world.sessions) as session:
        intent = await daily_challenge(session, world.guild.id, MONDAY)
    sent = world.fake.add_message(
        world.channel, world.fake.bot_user, f"{marker(MONDAY)}\nSolve it with /submit"
    )
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        await run_check(bot)
    (row,) = await recorded(world)
    assert (row.id, row.message_id) == (intent.post_id, sent.id)
    assert world.posts() == [sent]
    world.fake.assert_no_violations()


async def test_crash_before_sending_posts_the_recorded_task(world: World) -> None:
    async with session_scope(world.sessions) as session:
        intent = await daily_challenge(session, world.guild.id, MONDAY)
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        post = await world.fake.wait_for_bot_message(world.channel)
        await run_check(bot)  # waits for the first pass to finish recording
    commands = world.fake.registered_commands(world.guild)
    submit = next(command["id"] for command in commands if command["name"] == "submit")
    assert f"</submit:{submit}> `task:{intent.task.slug}`" in post.content  # a clickable command
    (row,) = await recorded(world)
    assert (row.id, row.message_id) == (intent.post_id, post.id)
    world.fake.assert_no_violations()


async def test_closing_the_bot_waits_for_a_check_to_wind_down(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check caught in the middle of its database work finishes its clean-up (the session's
    connection closing) before the bot counts as closed, so nothing of it outlives the bot."""
    inside = asyncio.Event()
    wound_down = asyncio.Event()

    async def slow_schedule(*args: object) -> list[object]:
        inside.set()
        try:
            await asyncio.Event().wait()
        finally:
            await asyncio.sleep(0.2)  # a connection that takes a while to close
            wound_down.set()
        return []

    monkeypatch.setattr("bot.exts.daily._cog.due_dailies", slow_schedule)
    async with bot_on(world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock):
        await asyncio.wait_for(inside.wait(), 10)
    assert wound_down.is_set()


async def test_two_processes_holding_the_server_post_its_challenge_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoever reaches the channel waits there (half a second at most) for the other, so two
    processes without a claim between them would both find it empty and both post."""
    reached: list[DailyPoster] = []
    both = asyncio.Event()
    look = DailyPoster._already_sent

    async def together(poster: DailyPoster, channel: discord.TextChannel, day: date) -> object:
        reached.append(poster)
        if len(reached) == 2:
            both.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(both.wait(), 0.5)
        return await look(poster, channel, day)

    monkeypatch.setattr(DailyPoster, "_already_sent", together)
    world.clock.now = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)  # nothing due while they start
    grader = ScriptedGrader()
    async with (
        bot_on(world.fake, world.guild, world.sessions, grader, clock=world.clock) as first,
        bot_on(world.fake, world.guild, world.sessions, grader, clock=world.clock) as second,
    ):
        world.clock.now = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
        outcomes = await asyncio.gather(
            *(bot.daily.post(world.guild.id, world.channel.id, MONDAY) for bot in (first, second)),
            return_exceptions=True,
        )
        await asyncio.gather(run_check(first), run_check(second))
    (post,) = world.posts()
    posted, other = sorted(outcomes, key=lambda o: not (isinstance(o, Posted) and o.new))
    assert posted == Posted(post.id, world.channel.id, new=True)
    # the other did nothing: it found the claim taken (or, if it came later, the post recorded)
    assert isinstance(other, DailyPostInProgress) or other == Posted(
        post.id, post.channel_id, False
    )
    (row,) = await recorded(world)
    assert (row.message_id, row.claimed_by, row.claimed_until) == (post.id, None, None)
    assert len(world.fake.threads_of(world.channel)) == 1
    assert len(reached) == 1
    world.fake.assert_no_violations()


async def test_a_claim_left_by_a_crashed_process_expires_then_the_post_is_made_once(
    world: World,
) -> None:
    async with session_scope(world.sessions) as session:
        post_id = (await daily_challenge(session, world.guild.id, MONDAY)).post_id
    async with session_scope(world.sessions) as session:
        assert await claim_daily(session, post_id, "gone-host:4242:deadbeef", world.clock.now)
    mods = world.fake.add_role(world.guild, "Mods", permissions=MANAGE_GUILD)
    moderator = world.fake.add_member(world.guild, "mod-ada", roles=[mods])
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        await run_check(bot)
        assert world.posts() == []
        asked = await world.fake.send_slash(world.channel, moderator, "mod post-daily")
        answer = await asked.wait_for_response()
        assert answer.content == (
            "Today's challenge was not posted: another bot process is posting the challenge of "
            "2026-05-04 right now."
        )
        world.clock.now += DAILY_POST_LEASE
        await run_check(bot)
        await run_check(bot)
        (post,) = world.posts()
        again = await world.fake.send_slash(world.channel, moderator, "mod post-daily")
        assert (await again.wait_for_response()).content.startswith("Already posted: ")
    (row,) = await recorded(world)
    assert (row.message_id, row.claimed_by) == (post.id, None)
    assert world.posts() == [post]
    world.fake.assert_no_violations()


async def test_a_post_that_failed_releases_its_claim_for_the_next_check(world: World) -> None:
    world.fake.set_channel_overwrite(
        world.channel, world.fake.bot_top_role(world.guild), deny=SEND_MESSAGES
    )
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        await run_check(bot)
        assert world.posts() == []
        (row,) = await recorded(world)
        assert (row.claimed_by, row.claimed_until) == (None, None)
        world.fake.set_channel_overwrite(world.channel, world.fake.bot_top_role(world.guild))
        await run_check(bot)
        (post,) = world.posts()
    (row,) = await recorded(world)
    assert row.message_id == post.id
