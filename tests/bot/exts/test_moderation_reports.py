"""Problems the bot meets later reach the moderators: in the mod-log channel, else by DM to the
moderator who configured the server, else in the challenge channel; never in a channel the bot
cannot write, and the same problem once per hour, not once per learner."""

from __future__ import annotations

import pytest

from bot.exts.daily import DailyScheduler
from core.db import session_scope
from core.guilds import map_achievement_role
from tests.fakediscord import FakeMember, FakeMessage, FakeRole
from tests.fakediscord.permissions import CREATE_PUBLIC_THREADS, SEND_MESSAGES
from tests.support.bot_scene import ECHO_RIGHT, Scene, field_value

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def unreachable_role(scene: Scene, name: str) -> FakeRole:
    """A role above the bot's (it cannot grant it), granted by the First Solve achievement."""
    role = scene.fake.add_role(
        scene.guild, name, position=scene.fake.bot_top_role(scene.guild).position + 1
    )
    async with session_scope(scene.sessions) as session:
        # mapped while it was below the bot; it has moved above the bot since
        await map_achievement_role(session, scene.guild.id, "first-solve", role.id)
    return role


async def first_solve(scene: Scene, prefix: str) -> FakeMember:
    """A new learner solves a task; the role they should get cannot be given. The learner."""
    learner = scene.learner(prefix)
    verdict = await scene.submit_modal(learner, "echo-twice", ECHO_RIGHT)
    assert "could not be given yet" in field_value(verdict, "Note")
    return learner


def mentioning(messages: list[FakeMessage], text: str) -> list[str]:
    """The contents of the messages that contain `text`."""
    return [m.content for m in messages if text in m.content]


async def test_a_refused_role_is_reported_once_in_the_mod_log(scene: Scene) -> None:
    log = scene.fake.add_text_channel(scene.guild, "mod-log")
    await scene.reply(scene.moderator, "mod log-channel", {"channel": log})
    role = await unreachable_role(scene, "Too High")
    await first_solve(scene, "first")
    await first_solve(scene, "second")
    reports = mentioning(scene.fake.bot_messages_in(log), "Too High")
    assert len(reports) == 1, reports
    assert reports[0].startswith("🛠️ I could not give <@")
    assert f"the role **{role.name}** for the achievement **First Solve**" in reports[0]
    assert "is not below my highest role" in reports[0]
    assert mentioning(scene.fake.dm_messages_to(scene.moderator), "Too High") == []
    scene.fake.assert_no_violations()


async def test_without_a_log_channel_the_configuring_moderator_is_told_by_dm(
    scene: Scene,
) -> None:
    await scene.reply(scene.moderator, "mod channel", {"channel": scene.challenges})
    await scene.reply(scene.moderator, "mod log-channel")
    await unreachable_role(scene, "Lofty")
    await first_solve(scene, "dm")
    await first_solve(scene, "dm-again")
    dms = mentioning(scene.fake.dm_messages_to(scene.moderator), "Lofty")
    assert len(dms) == 1, dms
    assert dms[0].startswith(f"🛠️ In **{scene.guild.name}**: I could not give")
    assert mentioning(scene.fake.bot_messages_in(scene.challenges), "Lofty") == []
    scene.fake.assert_no_violations()


async def test_closed_dms_fall_back_to_a_writable_challenge_channel_only(scene: Scene) -> None:
    await scene.reply(scene.moderator, "mod channel", {"channel": scene.challenges})
    await scene.reply(scene.moderator, "mod log-channel")
    scene.moderator.user.dms_closed = True
    try:
        await unreachable_role(scene, "Summit")
        closed = await first_solve(scene, "closed")
        await scene.wait_for_announcement(closed)  # announced before the channel is closed
        posted = mentioning(scene.fake.bot_messages_in(scene.challenges), "Summit")
        assert len(posted) == 1, posted
        assert posted[0].startswith("🛠️ Moderators: I could not give")

        await scene.deny_bot(scene.challenges, deny=SEND_MESSAGES)
        await unreachable_role(scene, "Peak")
        await first_solve(scene, "nowhere")
        assert mentioning(scene.fake.messages_in(scene.challenges), "Peak") == []
        posting = f"POST /api/v10/channels/{scene.challenges.id}/messages"
        assert not any(denial.startswith(posting) for denial in scene.fake.permission_denials)
    finally:
        scene.moderator.user.dms_closed = False
        await scene.deny_bot(scene.challenges, deny=0)
    scene.fake.assert_no_violations()


async def test_a_failed_daily_post_and_a_missing_thread_are_reported(scene: Scene) -> None:
    log = scene.fake.add_text_channel(scene.guild, "daily-log")
    daily = scene.fake.add_text_channel(scene.guild, "daily")
    moderator = scene.moderator
    await scene.reply(moderator, "mod time", {"time": "23:59", "timezone": "Etc/GMT+12"})
    await scene.reply(moderator, "mod channel", {"channel": daily})
    await scene.reply(moderator, "mod log-channel", {"channel": log})
    await scene.deny_bot(daily, deny=SEND_MESSAGES)
    await scene.reply(moderator, "mod time", {"time": "00:00", "timezone": "Etc/GMT-14"})
    scheduler = scene.bot.get_cog("DailyScheduler")
    assert isinstance(scheduler, DailyScheduler)
    await scheduler.check()
    await scheduler.check()
    reports = mentioning(scene.fake.bot_messages_in(log), "challenge was not posted")
    assert len(reports) == 1, reports
    assert reports[0].startswith(
        f"🛠️ today's challenge was not posted: I cannot post in <#{daily.id}>"
    )

    await scene.deny_bot(daily, deny=CREATE_PUBLIC_THREADS)
    await scheduler.check()
    assert len(scene.fake.bot_messages_in(daily)) == 1
    assert scene.fake.threads_of(daily) == []
    (thread_report,) = mentioning(scene.fake.bot_messages_in(log), "discussion thread")
    assert f"was posted in <#{daily.id}> without its discussion thread" in thread_report
    scene.fake.assert_no_violations()


async def test_an_unwritable_mod_log_is_passed_over_for_a_dm(scene: Scene) -> None:
    log = scene.fake.add_text_channel(scene.guild, "locked-log")
    await scene.reply(scene.moderator, "mod log-channel", {"channel": log})
    await scene.deny_bot(log, deny=SEND_MESSAGES)
    await unreachable_role(scene, "Spire")
    await first_solve(scene, "locked")
    dms = mentioning(scene.fake.dm_messages_to(scene.moderator), "Spire")
    assert len(dms) == 1, dms
    assert scene.fake.messages_in(log) == []
    assert not any(
        d.startswith(f"POST /api/v10/channels/{log.id}/") for d in scene.fake.permission_denials
    )
    scene.fake.assert_no_violations()
