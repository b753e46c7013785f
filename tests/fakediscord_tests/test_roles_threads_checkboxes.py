"""Role mentions (allowed_mentions, mentionable roles), archived and locked threads, and modal
checkboxes, as Discord handles them for a bot."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from tests.fakediscord.interaction_payloads import modal_submit_data
from tests.fakediscord.message_rules import message_problems
from tests.fakediscord.modal_rules import modal_problems
from tests.fakediscord.permissions import BOT_DEFAULT, MENTION_EVERYONE

from .sample_bot import Scene

ARCHIVED_THREAD = 50083


async def test_a_role_is_pinged_only_when_allowed_and_mentionable(scene: Scene) -> None:
    role = scene.fake.add_role(scene.guild, "Pings", mentionable=True)
    quiet = scene.fake.add_role(scene.guild, "Quiet")
    channel = scene.bot.get_channel(scene.channel.id)
    assert isinstance(channel, discord.TextChannel)
    text = f"<@&{role.id}> <@&{quiet.id}>"
    only_role = discord.AllowedMentions(
        everyone=False, users=False, roles=[discord.Object(role.id)]
    )
    pinged = await channel.send(text, allowed_mentions=only_role)
    none = await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
    everything = await channel.send(text, allowed_mentions=discord.AllowedMentions.all())
    assert scene.fake.messages[pinged.id].mention_roles == [role.id]
    assert scene.fake.messages[none.id].mention_roles == []
    # a role nobody may mention is pinged only by a member with Mention Everyone
    assert scene.fake.messages[everything.id].mention_roles == [role.id]
    bot_role = scene.fake.bot_top_role(scene.guild)
    scene.fake.set_role_permissions(scene.guild, bot_role, BOT_DEFAULT | MENTION_EVERYONE)
    loud = await channel.send(text, allowed_mentions=discord.AllowedMentions.all())
    assert scene.fake.messages[loud.id].mention_roles == [role.id, quiet.id]
    scene.fake.assert_no_violations()


def test_allowed_mentions_cannot_both_parse_and_list_roles() -> None:
    body = {"content": "x", "allowed_mentions": {"parse": ["roles"], "roles": ["1"]}}
    (problem,) = message_problems(body)
    assert problem.path == ("allowed_mentions", "parse")
    too_many = {"content": "x", "allowed_mentions": {"roles": [str(i) for i in range(101)]}}
    assert [p.path for p in message_problems(too_many)] == [("allowed_mentions", "roles")]


async def test_an_archived_thread_takes_no_message_until_reopened(scene: Scene) -> None:
    channel = scene.bot.get_channel(scene.channel.id)
    assert isinstance(channel, discord.TextChannel)
    starter = await channel.send("day")
    thread = await starter.create_thread(name="day")
    stored = scene.fake.find_channel(thread.id)
    assert stored is not None
    scene.fake.set_thread_state(stored, archived=True)
    with pytest.raises(discord.HTTPException) as refused:
        await thread.send("late")
    assert (refused.value.status, refused.value.code) == (400, ARCHIVED_THREAD)
    # a bad request: recorded as the bot's mistake (it should reopen the thread first)
    (mistake,) = scene.fake.violations
    assert "Thread is archived" in mistake
    scene.fake.violations.clear()
    reopened = await thread.edit(archived=False)
    assert not reopened.archived
    assert not stored.archived
    await thread.send("on time")

    scene.fake.set_thread_state(stored, archived=True, locked=True)
    with pytest.raises(discord.Forbidden):  # a locked thread needs Manage Threads
        await thread.edit(archived=False)
    assert stored.archived
    scene.fake.assert_no_violations()


def _checkbox_modal(checkbox: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": "Submit",
        "custom_id": "box",
        "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": "code", "style": 2, "label": "C"}]},
            {"type": 18, "label": "Share my accepted solution", "component": checkbox},
        ],
    }


def test_checkboxes_live_in_labels_and_submit_a_bool() -> None:
    modal = _checkbox_modal({"type": 23, "custom_id": "share", "default": True})
    assert modal_problems(modal) == []
    assert modal_problems(_checkbox_modal({"type": 23, "default": True})) != []
    untouched = modal_submit_data(modal, {"code": "print(1)"})
    assert untouched["components"][1] == {
        "type": 18,
        "component": {"type": 23, "custom_id": "share", "value": True},
    }
    unticked = modal_submit_data(modal, {"code": "print(1)", "Share my accepted solution": False})
    assert unticked["components"][1]["component"]["value"] is False
    with pytest.raises(ValueError, match="give a bool"):
        modal_submit_data(modal, {"code": "print(1)", "share": "yes"})
