"""Moderator commands end to end: access, task upload proved in the sandbox, settings, roles.

The scene's server is the operator's home server here (a single-community deployment naming its
server), so its moderators curate the shared catalogue.
"""

from __future__ import annotations

import asyncio
import json
from datetime import time
from typing import Any

import pytest
from sqlalchemy import select

from core.models import GLOBAL_CATALOGUE, GuildSettings, ModeratorRight, Task, User
from tests.fakediscord import FakeAttachment, FakeMember, FakeRole
from tests.fakediscord.permissions import ADMINISTRATOR, KICK_MEMBERS, MANAGE_GUILD
from tests.support.bot_scene import (
    ECHO_RIGHT,
    ECHO_THRICE,
    PRINT_INPUT,
    SHOUT_RIGHT,
    Scene,
    embed_of,
    field_value,
)
from tests.support.content_factories import task_document

pytestmark = pytest.mark.asyncio(loop_scope="module")

REFUSAL = "Only moderators can use /mod"


@pytest.fixture(autouse=True)
def home_server(scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scene's server is the operator's home server."""
    monkeypatch.setattr(scene.bot.services.settings, "home_guild_ids", [scene.guild.id])


def task_file(scene: Scene, document: object, name: str = "task.json") -> FakeAttachment:
    """A JSON task document as an attachment."""
    raw = document if isinstance(document, str) else json.dumps(document)
    return scene.fake.make_attachment(name, raw, "application/json")


async def set_role_permissions(scene: Scene, role: FakeRole, permissions: int) -> None:
    """Change a role's permissions and wait until the bot heard of it."""
    updated = asyncio.ensure_future(
        scene.bot.wait_for(
            "guild_role_update", check=lambda _, after: after.id == role.id, timeout=5
        )
    )
    await asyncio.sleep(0)
    scene.fake.set_role_permissions(scene.guild, role, permissions)
    await updated


async def is_moderator(scene: Scene, discord_id: int) -> bool:
    """Whether the learner with this Discord id is recorded as a moderator of the server."""
    async with scene.sessions() as session:
        right = await session.scalar(
            select(ModeratorRight.guild_id)
            .join(User, User.id == ModeratorRight.user_id)
            .where(User.discord_id == discord_id, ModeratorRight.guild_id == scene.guild.id)
        )
    return right is not None


async def test_non_moderators_are_refused(scene: Scene) -> None:
    learner = scene.learner()
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("mod channel", {"channel": scene.challenges}),
        ("mod task-publish", {"task": "draft-echo"}),
        ("mod post-daily", {}),
        ("mod task-add", {"file": task_file(scene, task_document("sneaky"))}),
    ]
    for name, options in attempts:
        reply = await scene.reply(learner, name, options)
        assert reply.ephemeral
        assert reply.content.startswith(REFUSAL), reply.content
    async with scene.sessions() as session:
        assert (
            await session.scalar(select(Task.published).where(Task.slug == "draft-echo")) is False
        )
        assert await session.scalar(select(Task.id).where(Task.slug == "sneaky")) is None
    assert not await is_moderator(scene, learner.user.id)
    scene.fake.assert_no_violations()


async def test_configured_moderator_role_gives_access_and_is_recorded(scene: Scene) -> None:
    helpers = scene.fake.add_role(scene.guild, "Helpers")
    helper = scene.fake.add_member(scene.guild, "helper", roles=[helpers])
    refused = await scene.reply(helper, "mod announce", {"enabled": True})
    assert refused.content.startswith(REFUSAL)
    set_role = await scene.reply(scene.moderator, "mod moderator-role", {"role": helpers})
    assert set_role.content == (
        f"Members with <@&{helpers.id}> can now use /mod. So that Discord shows it to them, "
        "allow /mod for that role in Server Settings → Integrations."
    )
    assert await is_moderator(scene, scene.moderator.user.id)
    allowed = await scene.reply(helper, "mod announce", {"enabled": True})
    assert allowed.content == "Solve announcements are on."
    assert await is_moderator(scene, helper.user.id)
    # without the role the next /mod is refused, and the recorded right ends with it
    helper.role_ids.remove(helpers.id)
    again = await scene.reply(helper, "mod announce", {"enabled": False})
    assert again.content.startswith(REFUSAL)
    assert not await is_moderator(scene, helper.user.id)
    assert await is_moderator(scene, scene.moderator.user.id)
    scene.fake.assert_no_violations()


def mod_command(scene: Scene) -> dict[str, Any]:
    """The synced `/mod` command."""
    return next(c for c in scene.fake.registered_commands(scene.guild) if c["name"] == "mod")


def autocompleted_options(scene: Scene) -> list[tuple[str, str]]:
    """Every (subcommand, option) of `/mod` that autocompletes."""
    return [
        (f"mod {sub['name']}", option["name"])
        for sub in mod_command(scene)["options"]
        for option in sub.get("options", [])
        if option.get("autocomplete")
    ]


async def choices_for(scene: Scene, member: FakeMember, name: str, focused: str) -> list[str]:
    """The values `/mod` suggests to `member` typing nothing in option `focused` of `name`."""
    record = await scene.fake.send_autocomplete(
        scene.channel, member, name, focused=focused, options={focused: ""}
    )
    return [choice["value"] for choice in await record.wait_for_autocomplete()]


async def test_mod_is_hidden_from_members_and_unavailable_in_dms(scene: Scene) -> None:
    command = mod_command(scene)
    assert command["default_member_permissions"] == str(MANAGE_GUILD)
    assert command["contexts"] == [0]  # guilds only: not in DMs with the bot, nor group DMs
    assert command["dm_permission"] is False


async def test_every_mod_option_is_described(scene: Scene) -> None:
    undescribed = [
        f"{sub['name']} {option['name']}"
        for sub in mod_command(scene)["options"]
        for option in sub.get("options", [])
        if option.get("description", "…") in ("", "…")  # discord.py's stand-in for none
    ]
    assert undescribed == []


async def test_mod_autocomplete_answers_only_moderators(scene: Scene) -> None:
    learner = scene.learner()
    options = autocompleted_options(scene)
    assert ("mod task-publish", "task") in options
    for name, focused in options:
        assert await choices_for(scene, learner, name, focused) == [], (name, focused)
        assert await choices_for(scene, scene.moderator, name, focused), (name, focused)
    drafts = await choices_for(scene, scene.moderator, "mod task-publish", "task")
    assert "draft-echo" in drafts
    scene.fake.assert_no_violations()


async def test_moderator_role_without_manage_server_gets_choices(scene: Scene) -> None:
    curators = scene.fake.add_role(scene.guild, "Curators")
    curator = scene.fake.add_member(scene.guild, "curator", roles=[curators])
    assert await choices_for(scene, curator, "mod task-publish", "task") == []
    await scene.reply(scene.moderator, "mod moderator-role", {"role": curators})
    assert "draft-echo" in await choices_for(scene, curator, "mod task-publish", "task")
    allowed = await scene.reply(curator, "mod announce", {"enabled": True})
    assert allowed.content == "Solve announcements are on."
    scene.fake.assert_no_violations()


async def test_task_add_lists_every_problem_by_field(scene: Scene) -> None:
    broken = task_document("broken-task", difficulty="impossible", points=-3)
    del broken["title"]
    reply = await scene.reply(scene.moderator, "mod task-add", {"file": task_file(scene, broken)})
    assert reply.ephemeral
    assert reply.content.startswith("The task was not saved:")
    lines = reply.content.splitlines()[1:]
    assert any(line.startswith("• task.json: title: ") for line in lines), lines
    assert any(line.startswith("• task.json: difficulty: ") for line in lines), lines
    assert any(line.startswith("• task.json: points: ") for line in lines), lines
    not_json = await scene.reply(
        scene.moderator, "mod task-add", {"file": task_file(scene, "{not json", "bad.json")}
    )
    assert not_json.content.startswith("The task was not saved:\n• bad.json: ")
    scene.fake.assert_no_violations()


async def test_task_add_runs_the_solutions_in_the_sandbox(scene: Scene) -> None:
    weak = task_document(
        "weak-tests",
        wrong_solutions=[{"code": ECHO_RIGHT, "why": "is actually right"}],
    )
    reply = await scene.reply(scene.moderator, "mod task-add", {"file": task_file(scene, weak)})
    assert "• task.json: wrong_solutions[0]: passes every test" in reply.content
    wrong_reference = task_document("wrong-reference", solution=PRINT_INPUT)
    reply = await scene.reply(
        scene.moderator, "mod task-add", {"file": task_file(scene, wrong_reference)}
    )
    assert "• task.json: solution: the reference solution does not pass" in reply.content
    async with scene.sessions() as session:
        slugs = set(await session.scalars(select(Task.slug)))
    assert not slugs & {"weak-tests", "wrong-reference"}
    scene.fake.assert_no_violations()


async def test_good_task_is_added_then_published_and_unpublished(scene: Scene) -> None:
    learner = scene.learner()
    document = task_document("triple-echo", title="Triple echo", published=False)
    document["solution"] = ECHO_THRICE
    document["wrong_solutions"] = [{"code": ECHO_RIGHT, "why": "prints twice"}]
    document["tests"] = [
        {"input": "a\n", "output": "a\na\na\n", "hidden": False},
        {"input": "b\n", "output": "b\nb\nb\n", "hidden": True},
    ]
    added = await scene.reply(scene.moderator, "mod task-add", {"file": task_file(scene, document)})
    assert added.content.startswith(
        "Added **Triple echo** (`triple-echo`) in the shared catalogue, not published"
    )
    assert "passes all 2 tests" in added.content
    hidden = await scene.reply(learner, "task", {"task": "triple-echo"})
    assert "no published task" in hidden.content

    choices = await scene.fake.send_autocomplete(
        scene.channel, scene.moderator, "mod task-publish", focused="task", options={"task": "trip"}
    )
    assert [c["value"] for c in await choices.wait_for_autocomplete()] == ["triple-echo"]
    published = await scene.reply(scene.moderator, "mod task-publish", {"task": "triple-echo"})
    assert published.content == "**Triple echo** (`triple-echo`) is published."
    shown = await scene.reply(learner, "task", {"task": "triple-echo"})
    assert embed_of(shown)["title"] == "Triple echo"

    unpublished = await scene.reply(scene.moderator, "mod task-unpublish", {"task": "triple-echo"})
    assert unpublished.content == "**Triple echo** (`triple-echo`) is unpublished."
    unknown = await scene.reply(scene.moderator, "mod task-publish", {"task": "nope"})
    assert unknown.content == "There is no task 'nope'. Check the name in the task list."
    async with scene.sessions() as session:
        task = await session.scalar(select(Task).where(Task.slug == "triple-echo"))
    assert task is not None
    assert task.owner_guild_id == GLOBAL_CATALOGUE  # a home server curates the shared catalogue
    assert task.version == 3  # added, published, unpublished: each a version
    scene.fake.assert_no_violations()


async def test_a_task_never_validated_cannot_be_published_from_discord(scene: Scene) -> None:
    refused = await scene.reply(scene.moderator, "mod task-publish", {"task": "draft-echo"})
    assert "has not passed validation yet" in refused.content
    async with scene.sessions() as session:
        assert (
            await session.scalar(select(Task.published).where(Task.slug == "draft-echo")) is False
        )
    scene.fake.assert_no_violations()


async def test_time_and_timezone_are_validated(scene: Scene) -> None:
    bad_time = await scene.reply(scene.moderator, "mod time", {"time": "25:61"})
    assert bad_time.content == "'25:61' is not a time; use 24-hour HH:MM, for example 09:00."
    bad_zone = await scene.reply(
        scene.moderator, "mod time", {"time": "07:30", "timezone": "Mars/Olympus"}
    )
    assert "'Mars/Olympus' is not a known time zone" in bad_zone.content
    zones = await scene.fake.send_autocomplete(
        scene.channel,
        scene.moderator,
        "mod time",
        focused="timezone",
        options={"time": "07:30", "timezone": "berl"},
    )
    assert [c["value"] for c in await zones.wait_for_autocomplete()] == ["Europe/Berlin"]
    good = await scene.reply(
        scene.moderator, "mod time", {"time": "7:30", "timezone": "Europe/Berlin"}
    )
    assert good.content == "The daily challenge will be posted at 07:30 (Europe/Berlin)."
    async with scene.sessions() as session:
        settings = await session.get(GuildSettings, scene.guild.id)
        assert settings is not None
        assert (settings.post_time, settings.timezone) == (time(7, 30), "Europe/Berlin")
    scene.fake.assert_no_violations()


async def test_mapped_cosmetic_role_is_granted(scene: Scene) -> None:
    choices = await scene.fake.send_autocomplete(
        scene.channel,
        scene.moderator,
        "mod role",
        focused="achievement",
        options={"achievement": "two", "role": scene.double_role},
    )
    assert [c["value"] for c in await choices.wait_for_autocomplete()] == ["two-solves"]
    mapped = await scene.reply(
        scene.moderator, "mod role", {"achievement": "two-solves", "role": scene.double_role}
    )
    assert mapped.content == f"**Two Solves** now grants <@&{scene.double_role.id}>."
    unknown = await scene.reply(
        scene.moderator, "mod role", {"achievement": "nope", "role": scene.double_role}
    )
    assert unknown.content.startswith("There is no achievement 'nope'.")

    learner = scene.learner()
    await scene.submit_modal(learner, "echo-twice", ECHO_RIGHT)
    second = await scene.submit_modal(learner, "shout-twice", SHOUT_RIGHT)
    assert "Two Solves" in field_value(second, "Achievements unlocked")
    await scene.fake.wait_until(
        lambda: True if "Double" in scene.fake.role_names_of(scene.guild, learner) else None,
        what="the mapped role",
    )
    scene.fake.assert_no_violations()


async def test_roles_that_carry_power_cannot_be_mapped(scene: Scene) -> None:
    admins = scene.fake.add_role(scene.guild, "Admins", permissions=ADMINISTRATOR)
    kickers = scene.fake.add_role(scene.guild, "Kickers", permissions=KICK_MEMBERS)
    refusals = [
        (admins, "carries permissions (administrator)"),
        (kickers, "carries permissions (kick members)"),
        (scene.high_role, "is not below my highest role"),
        (scene.fake.bot_top_role(scene.guild), "is managed by an integration"),
        (scene.guild.everyone_role, "@everyone cannot be an achievement role"),
    ]
    for role, why in refusals:
        refused = await scene.reply(
            scene.moderator, "mod role", {"achievement": "hard-hitter", "role": role}
        )
        assert refused.ephemeral
        assert why in refused.content, refused.content
    async with scene.sessions() as session:
        settings = await session.get(GuildSettings, scene.guild.id)
        assert settings is not None
        assert "hard-hitter" not in settings.achievement_roles
    scene.fake.assert_no_violations()


async def test_mapped_role_that_later_gains_permissions_is_not_granted(scene: Scene) -> None:
    badge = scene.fake.add_role(scene.guild, "Badge")
    mapped = await scene.reply(
        scene.moderator, "mod role", {"achievement": "first-solve", "role": badge}
    )
    assert mapped.content.startswith(f"**First Solve** now grants <@&{badge.id}>.")
    await set_role_permissions(scene, badge, MANAGE_GUILD)
    learner = scene.learner()
    verdict = await scene.submit_modal(learner, "echo-twice", ECHO_RIGHT)
    assert "First Solve" in field_value(verdict, "Achievements unlocked")
    assert scene.fake.role_names_of(scene.guild, learner) == []
    scene.fake.assert_no_violations()


async def test_mapping_grants_the_role_to_members_who_already_unlocked_it(scene: Scene) -> None:
    early = scene.learner("early")
    verdict = await scene.submit_modal(early, "echo-twice", ECHO_RIGHT)
    assert "First Solve" in field_value(verdict, "Achievements unlocked")
    pioneer = scene.fake.add_role(scene.guild, "Pioneer")
    mapped = await scene.reply(
        scene.moderator, "mod role", {"achievement": "first-solve", "role": pioneer}
    )
    assert mapped.content.startswith(f"**First Solve** now grants <@&{pioneer.id}>.")
    await scene.fake.wait_until(
        lambda: True if "Pioneer" in scene.fake.role_names_of(scene.guild, early) else None,
        what="the role given to an earlier unlock",
    )
    scene.fake.assert_no_violations()


async def test_post_daily_posts_once_with_a_thread(scene: Scene) -> None:
    await scene.reply(scene.moderator, "mod channel", {"channel": scene.challenges})
    first = await scene.reply(scene.moderator, "mod post-daily")
    assert first.content.startswith(("Posted: https://discord.com/channels/", "Already posted: "))
    again = await scene.reply(scene.moderator, "mod post-daily")
    assert again.content.startswith("Already posted: https://discord.com/channels/")
    posts = [
        m
        for m in scene.fake.bot_messages_in(scene.challenges)
        if "Daily challenge for" in m.content
    ]
    assert len(posts) == 1
    assert posts[0].id == int(again.content.rsplit("/", 1)[1])
    (thread,) = scene.fake.threads_of(scene.challenges)
    assert thread.id == posts[0].id
    scene.fake.assert_no_violations()


async def test_solve_announcements_can_be_turned_off(scene: Scene) -> None:
    off = await scene.reply(scene.moderator, "mod announce", {"enabled": False})
    assert off.content == "Solve announcements are off."
    quiet = scene.learner("quiet")
    verdict = await scene.submit_modal(quiet, "echo-twice", ECHO_RIGHT)
    assert embed_of(verdict)["title"] == "✅ Accepted · Echo twice"
    await scene.reply(scene.moderator, "mod announce", {"enabled": True})
    loud = scene.learner("loud")
    await scene.submit_modal(loud, "echo-twice", ECHO_RIGHT)
    await scene.wait_for_announcement(loud)  # in today's thread: the challenge is posted
    assert scene.announcement_of(quiet) is None
    scene.fake.assert_no_violations()


async def test_only_a_home_servers_moderators_see_the_shared_catalogues_drafts(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = await scene.reply(scene.moderator, "mod preview", {"task": "draft-echo"})
    assert home.content.startswith("Preview of `draft-echo`, version 1")
    assert embed_of(home)["title"] == "Preview (draft): Draft echo"
    assert "draft-echo" in await choices_for(scene, scene.moderator, "mod preview", "task")

    monkeypatch.setattr(scene.bot.services.settings, "home_guild_ids", [])
    elsewhere = await scene.reply(scene.moderator, "mod preview", {"task": "draft-echo"})
    assert elsewhere.content == "There is no task 'draft-echo'. Check the name in the task list."
    assert elsewhere.embeds == []
    assert await choices_for(scene, scene.moderator, "mod preview", "task") == []
    scene.fake.assert_no_violations()
