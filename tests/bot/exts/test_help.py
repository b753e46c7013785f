"""`/help` and the welcome: every command as a `</name:id>` mention with the id Discord gave it at
sync, stored so that every process (and the daily post) writes the same mentions."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bot.command_mentions import CommandMentions
from core.command_syncs import GLOBAL_SCOPE, command_ids, record_sync
from core.db import session_scope
from core.guilds import set_channel
from core.models import CommandSync
from tests.fakediscord import FakeChannel, FakeGuild
from tests.fakediscord.permissions import SEND_MESSAGES
from tests.support.bot_scene import Scene, embed_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

MENTION = re.compile(r"</([a-z-]+(?: [a-z-]+)*):(\d+)>")


def synced_ids(scene: Scene) -> dict[str, str]:
    """The ids the fake Discord gave the slash commands synced to the scene's server."""
    return {
        command["name"]: command["id"]
        for command in scene.fake.registered_commands(scene.guild)
        if command["type"] == 1
    }


def expected_names(scene: Scene) -> set[str]:
    """Every slash command and subcommand the bot registered, by full name."""
    names = set()
    for command in scene.fake.registered_commands(scene.guild):
        if command["type"] != 1:
            continue
        subcommands = [o for o in command["options"] if o["type"] == 1]
        names |= {f"{command['name']} {o['name']}" for o in subcommands} or {command["name"]}
    return names


async def test_help_mentions_every_command_with_the_id_discord_gave_it(scene: Scene) -> None:
    reply = await scene.reply(scene.learner(), "help")
    assert reply.ephemeral
    text = reply.text()
    ids = synced_ids(scene)
    mentioned = dict(MENTION.findall(text))
    assert set(mentioned) >= expected_names(scene)
    for name, command_id in mentioned.items():
        assert command_id == ids[name.split()[0]], name
    assert "**Submit solution**" in text  # the message menu, which cannot be mentioned
    assert "a freeze bridges one missed day" in text
    assert "Points" in {field["name"] for field in embed_of(reply)["fields"]}
    scene.fake.assert_no_violations()


async def test_the_ids_are_stored_so_a_process_that_does_not_sync_mentions_alike(
    scene: Scene,
) -> None:
    application = scene.fake.application.id
    async with scene.sessions() as session:
        stored = await command_ids(session, application)
    assert {name: str(i) for name, i in stored[scene.guild.id].items()} == synced_ids(scene)
    other_process = CommandMentions(scene.sessions)
    other_process.application_id = application
    mentions = await other_process.of(scene.guild.id)
    assert mentions("mod channel") == f"</mod channel:{synced_ids(scene)['mod']}>"
    assert (await other_process.of(None))("help") == "`/help`"  # nothing synced globally here


async def test_task_says_how_to_submit_with_a_mention_and_links_to_its_page(scene: Scene) -> None:
    reply = await scene.reply(scene.learner(), "task", {"task": "echo-twice"})
    embed = embed_of(reply)
    assert embed["url"] == "http://codestreak.test/tasks/echo-twice"
    assert f"</submit:{synced_ids(scene)['submit']}> `task:echo-twice`" in reply.text()
    scene.fake.assert_no_violations()


def joinable(scene: Scene, name: str, channels: list[str]) -> tuple[FakeGuild, list[FakeChannel]]:
    """A server the bot is not in yet, with these text channels in this order."""
    guild = scene.fake.create_guild(name, joined=False)
    return guild, [scene.fake.add_text_channel(guild, channel) for channel in channels]


@asynccontextmanager
async def synced_globally(scene: Scene) -> AsyncIterator[dict[str, int]]:
    """As in production, where commands are global: the scene's commands recorded as synced
    globally too (a new server has none of its own), for the length of a test."""
    application = scene.fake.application.id
    ids = {name: int(command_id) for name, command_id in synced_ids(scene).items()}
    async with session_scope(scene.sessions) as session:
        await record_sync(session, application, GLOBAL_SCOPE, "global", ids)
    await scene.bot.services.mentions.refresh()
    try:
        yield ids
    finally:
        async with session_scope(scene.sessions) as session:
            await session.delete(await session.get(CommandSync, (application, GLOBAL_SCOPE)))
        await scene.bot.services.mentions.refresh()


async def test_joining_a_server_welcomes_it_in_its_system_channel_with_a_checklist(
    scene: Scene,
) -> None:
    guild, (rules, lobby) = joinable(scene, "Newcomers", ["rules", "lobby"])
    guild.system_channel_id = lobby.id
    async with synced_globally(scene) as ids:
        scene.fake.bot_joins(guild)
        welcome = await scene.fake.wait_for_bot_message(lobby)
    assert scene.fake.bot_messages_in(rules) == []
    embed = embed_of(welcome)
    assert embed["title"] == "Thanks for adding codestreak!"
    checklist = next(f["value"] for f in embed["fields"] if f["name"].startswith("Setup"))
    assert checklist.startswith(
        f"⬜ Pick the channel for the daily challenge: </mod channel:{ids['mod']}>"
    )
    assert "✅ Posting time: 09:00 UTC" in checklist
    assert (
        "✅ Daily difficulty: `mon-thu: easy; fri: medium; sat-sun: hard`; change it with "
        f"</mod daily-mix:{ids['mod']}>."
    ) in checklist
    assert f"</help:{ids['help']}> explains everything" in welcome.text()
    scene.fake.assert_no_violations()


async def test_a_server_that_had_the_bot_before_sees_what_is_set_up_already(scene: Scene) -> None:
    guild, (general,) = joinable(scene, "Returning", ["general"])
    async with session_scope(scene.sessions) as session:
        await set_channel(session, guild.id, general.id)
    scene.fake.bot_joins(guild)
    welcome = await scene.fake.wait_for_bot_message(general)  # no system channel: the first one
    assert "✅ Pick the channel for the daily challenge" in welcome.text()
    scene.fake.assert_no_violations()


async def test_the_welcome_goes_only_where_the_bot_may_post(scene: Scene) -> None:
    guild, (announcements, closed, chat) = joinable(
        scene, "Strict", ["announcements", "closed", "chat"]
    )
    guild.system_channel_id = announcements.id
    for channel in (announcements, closed):
        scene.fake.set_channel_overwrite(channel, guild.everyone_role, deny=SEND_MESSAGES)
    scene.fake.bot_joins(guild)
    await scene.fake.wait_for_bot_message(chat)
    assert scene.fake.bot_messages_in(announcements) == scene.fake.bot_messages_in(closed) == []
    nowhere, (silent,) = joinable(scene, "Silent", ["read-only"])
    scene.fake.set_channel_overwrite(silent, nowhere.everyone_role, deny=SEND_MESSAGES)
    denied = len(scene.fake.permission_denials)
    scene.fake.bot_joins(nowhere)
    await scene.fake.wait_until(
        lambda: True if scene.bot.get_guild(nowhere.id) else None, what="the bot to join"
    )
    await scene.reply(scene.learner(), "help")  # the join was handled before this answer
    assert scene.fake.bot_messages_in(silent) == []
    assert len(scene.fake.permission_denials) == denied  # it did not even try
    scene.fake.assert_no_violations()


async def test_moderators_settings_name_the_commands_that_change_them_as_mentions(
    scene: Scene,
) -> None:
    shown = await scene.reply(scene.moderator, "mod settings")
    mod = synced_ids(scene)["mod"]
    assert f"not set: nothing is posted (</mod channel:{mod}>)" in shown.text()
    assert f"none (</mod role:{mod}>)" in shown.text()
    scene.fake.assert_no_violations()
