"""`/mod settings`, `/mod channel` and `/mod log-channel`: the configuration at a glance, and
channels the bot checks it can use before saving them."""

from __future__ import annotations

import re

import pytest

from core.models import GuildSettings
from tests.fakediscord.permissions import (
    CREATE_PUBLIC_THREADS,
    EMBED_LINKS,
    SEND_MESSAGES,
    VIEW_CHANNEL,
)
from tests.support.bot_scene import Scene, embed_of

pytestmark = pytest.mark.asyncio(loop_scope="module")


def fields(reply_embed: dict[str, object]) -> dict[str, str]:
    """An embed's fields by name."""
    listed = reply_embed.get("fields", [])
    assert isinstance(listed, list)
    return {str(f["name"]): str(f["value"]) for f in listed}


async def settings_row(scene: Scene) -> GuildSettings:
    """The server's settings as stored."""
    async with scene.sessions() as session:
        settings = await session.get(GuildSettings, scene.guild.id)
    assert settings is not None
    return settings


async def test_channel_lacking_a_posting_permission_is_not_saved(scene: Scene) -> None:
    quiet = scene.fake.add_text_channel(scene.guild, "quiet")
    await scene.deny_bot(quiet, deny=EMBED_LINKS | CREATE_PUBLIC_THREADS)
    refused = await scene.reply(scene.moderator, "mod channel", {"channel": quiet})
    assert refused.ephemeral
    assert refused.content == (
        f"I cannot post the daily challenge in <#{quiet.id}>: I lack **Embed Links**, "
        "**Create Public Threads** there. Allow them for my role in the channel's settings "
        "(Permissions), then try again."
    )
    assert (await settings_row(scene)).challenge_channel_id != quiet.id
    hidden = scene.fake.add_text_channel(scene.guild, "hidden")
    await scene.deny_bot(hidden, deny=VIEW_CHANNEL)
    refused = await scene.reply(scene.moderator, "mod channel", {"channel": hidden})
    assert "I lack **View Channel**, **Send Messages**, **Embed Links**" in refused.content
    scene.fake.assert_no_violations()


async def test_channel_without_threads_is_saved_with_a_warning(scene: Scene) -> None:
    threadless = scene.fake.add_text_channel(scene.guild, "threadless")
    await scene.deny_bot(threadless, deny=CREATE_PUBLIC_THREADS)
    saved = await scene.reply(scene.moderator, "mod channel", {"channel": threadless})
    assert saved.content == (
        f"The daily challenge will be posted in <#{threadless.id}>.\n⚠️ Without "
        "**Create Public Threads** there I cannot open its discussion thread. Allow them for my "
        "role in the channel's settings (Permissions), then try again."
    )
    settings = await settings_row(scene)
    assert settings.challenge_channel_id == threadless.id
    assert (settings.name, settings.configured_by) == (scene.guild.name, scene.moderator.user.id)
    fine = await scene.reply(scene.moderator, "mod channel", {"channel": scene.challenges})
    assert fine.content == f"The daily challenge will be posted in <#{scene.challenges.id}>."
    scene.fake.assert_no_violations()


async def test_log_channel_is_checked_set_and_cleared(scene: Scene) -> None:
    mute = scene.fake.add_text_channel(scene.guild, "mute-log")
    await scene.deny_bot(mute, deny=SEND_MESSAGES)
    refused = await scene.reply(scene.moderator, "mod log-channel", {"channel": mute})
    assert refused.content.startswith(
        f"I cannot report in <#{mute.id}>: I lack **Send Messages** there."
    )
    log = scene.fake.add_text_channel(scene.guild, "mod-log")
    saved = await scene.reply(scene.moderator, "mod log-channel", {"channel": log})
    assert saved.content == (
        f"I will report problems (a daily post or a role grant that failed) in <#{log.id}>."
    )
    assert (await settings_row(scene)).mod_log_channel_id == log.id
    cleared = await scene.reply(scene.moderator, "mod log-channel")
    assert cleared.content.startswith("No mod-log channel: I will report problems")
    assert (await settings_row(scene)).mod_log_channel_id is None
    scene.fake.assert_no_violations()


async def test_settings_show_the_whole_configuration(scene: Scene) -> None:
    helpers = scene.fake.add_role(scene.guild, "Helpers")
    badge = scene.fake.add_role(scene.guild, "Badge")
    log = scene.fake.add_text_channel(scene.guild, "log")
    moderator = scene.moderator
    await scene.reply(moderator, "mod channel", {"channel": scene.challenges})
    await scene.reply(moderator, "mod time", {"time": "23:59", "timezone": "Pacific/Kiritimati"})
    await scene.reply(moderator, "mod moderator-role", {"role": helpers})
    await scene.reply(moderator, "mod announce", {"enabled": False})
    await scene.reply(moderator, "mod log-channel", {"channel": log})
    await scene.reply(moderator, "mod role", {"achievement": "first-solve", "role": badge})

    reply = await scene.reply(moderator, "mod settings")
    assert reply.ephemeral
    embed = embed_of(reply)
    assert embed["title"] == f"Settings of {scene.guild.name}"
    shown = fields(embed)
    assert shown["Challenge channel"] == f"<#{scene.challenges.id}>"
    assert shown["Posting time"] == "23:59 Pacific/Kiritimati"
    assert shown["Daily bonus"] == "0 points"
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d, <t:(\d+):f> \(<t:\1:R>\): the task is drawn when it is posted\.",
        shown["Next daily post"],
    ), shown["Next daily post"]
    assert "<t:" in shown["Tomorrow"]
    assert shown["Moderator role"] == f"<@&{helpers.id}> (and Manage Server)"
    assert shown["Solve announcements"] == "off"
    assert shown["Mod log"] == f"<#{log.id}>"
    assert f"`first-solve` → <@&{badge.id}>" in shown["Achievement roles"]
    assert shown["Tasks"].startswith(
        "This server's own tasks (seen and scored only here): 0 tasks, 0 published"
    )
    scene.fake.assert_no_violations()


async def test_a_home_server_says_it_curates_the_shared_catalogue(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scene.bot.services.settings, "home_guild_ids", [scene.guild.id])
    reply = await scene.reply(scene.moderator, "mod settings")
    tasks = fields(embed_of(reply))["Tasks"]
    assert tasks.startswith(
        "This is a home server: its moderators curate the **shared catalogue**: 4 tasks, "
        "3 published: Echo twice, Hard echo, Shout twice"
    ), tasks
    scene.fake.assert_no_violations()


async def test_settings_warn_about_channels_the_bot_cannot_use(scene: Scene) -> None:
    log = scene.fake.add_text_channel(scene.guild, "warned-log")
    await scene.reply(scene.moderator, "mod channel", {"channel": scene.challenges})
    await scene.reply(scene.moderator, "mod log-channel", {"channel": log})
    clean = await scene.reply(scene.moderator, "mod settings")
    assert "description" not in embed_of(clean)
    await scene.deny_bot(log, deny=SEND_MESSAGES)
    await scene.deny_bot(scene.challenges, deny=CREATE_PUBLIC_THREADS)
    try:
        warned = await scene.reply(scene.moderator, "mod settings")
    finally:
        await scene.deny_bot(scene.challenges, deny=0)
    assert embed_of(warned)["description"] == (
        f"⚠️ In <#{scene.challenges.id}> I lack **Create Public Threads**.\n"
        f"⚠️ In <#{log.id}> I lack **Send Messages**."
    )
    scene.fake.assert_no_violations()
