"""`/mod` is scoped to the server: B's moderator curates B's tasks and nothing else.

The real bot on the fake Discord with servers A and B (tests.support.two_servers), neither a
home server: each curates its own tasks. Global tasks and A's tasks are "not found" for B's
moderator, whatever the command.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from core.models import GLOBAL_CATALOGUE, ModeratorRight, Task, User
from tests.fakediscord import FakeAttachment
from tests.support.bot_scene import embed_of
from tests.support.content_factories import task_document
from tests.support.two_servers import Server, TwoServers

pytestmark = pytest.mark.asyncio(loop_scope="module")

NOT_FOUND = "There is no task '{slug}'. Check the name in the task list."


def task_file(servers: TwoServers, slug: str, **changes: object) -> FakeAttachment:
    """A valid task document as an attachment."""
    raw = json.dumps(task_document(slug, **changes))
    return servers.fake.make_attachment(f"{slug}.json", raw, "application/json")


async def owners_of(servers: TwoServers, slug: str) -> list[int]:
    """The owners of every task with this slug."""
    async with servers.sessions() as session:
        found = await session.scalars(select(Task.owner_guild_id).where(Task.slug == slug))
        return sorted(found)


async def test_task_add_creates_a_task_of_the_server(servers: TwoServers) -> None:
    b = servers.b
    added = await servers.reply(
        b, b.moderator, "mod task-add", {"file": task_file(servers, "bee-added", title="Bee")}
    )
    assert added.ephemeral
    assert added.content.startswith("Added **Bee** (`bee-added`) in this server's own tasks")
    assert await owners_of(servers, "bee-added") == [b.id]
    shown = await servers.reply(b, servers.learner, "task", {"task": "bee-added"})
    assert embed_of(shown)["title"] == "Bee"
    elsewhere = await servers.reply(servers.a, servers.learner, "task", {"task": "bee-added"})
    assert "no published task" in elsewhere.content
    servers.fake.assert_no_violations()


async def test_task_add_cannot_take_a_shared_slug(servers: TwoServers) -> None:
    b = servers.b
    refused = await servers.reply(
        b, b.moderator, "mod task-add", {"file": task_file(servers, "echo-twice")}
    )
    assert refused.content.startswith("The task was not saved:\n• echo-twice.json: slug: ")
    assert await owners_of(servers, "echo-twice") == [GLOBAL_CATALOGUE]
    servers.fake.assert_no_violations()


@pytest.mark.parametrize("command", ["mod task-publish", "mod task-unpublish", "mod preview"])
async def test_others_tasks_are_not_found(servers: TwoServers, command: str) -> None:
    aye = f"aye-{command.rsplit(' ', 1)[1]}"
    await servers.add_task(servers.a, aye, title="Aye only")
    for slug in ("echo-twice", "draft-echo", aye):
        reply = await servers.reply(servers.b, servers.b.moderator, command, {"task": slug})
        assert reply.ephemeral
        assert reply.content == NOT_FOUND.format(slug=slug), (slug, reply.content)
    async with servers.sessions() as session:
        states = dict(
            (await session.execute(select(Task.slug, Task.published).where(Task.slug != ""))).all()
        )
    assert (states["echo-twice"], states["draft-echo"], states[aye]) == (True, False, True)
    servers.fake.assert_no_violations()


async def test_the_servers_draft_is_previewed_then_published(servers: TwoServers) -> None:
    b = servers.b
    await servers.reply(
        b,
        b.moderator,
        "mod task-add",
        {"file": task_file(servers, "bee-draft", title="Bee draft", published=False)},
    )
    preview = await servers.reply(b, b.moderator, "mod preview", {"task": "bee-draft"})
    assert preview.ephemeral
    assert preview.content == (
        "Preview of `bee-draft`, version 1 (passed validation): a draft: learners do not see it "
        "until you publish it."
    )
    embed = embed_of(preview)
    assert embed["title"] == "Preview (draft): Bee draft"
    assert "Read a line and print it twice." in embed["description"]
    hidden = await servers.reply(b, servers.learner, "task", {"task": "bee-draft"})
    assert "no published task" in hidden.content
    published = await servers.reply(b, b.moderator, "mod task-publish", {"task": "bee-draft"})
    assert published.content == "**Bee draft** (`bee-draft`) is published."
    again = await servers.reply(b, b.moderator, "mod preview", {"task": "bee-draft"})
    assert "version 2 (passed validation): published: learners see it like this." in again.content
    servers.fake.assert_no_violations()


async def test_autocomplete_offers_only_the_servers_tasks(servers: TwoServers) -> None:
    await servers.add_task(servers.a, "aye-choice", title="Aye choice")
    await servers.add_task(servers.b, "bee-choice", title="Bee choice")
    await servers.add_task(servers.b, "bee-hidden", title="Bee hidden", published=False)
    b = servers.b
    for command in ("mod task-publish", "mod task-unpublish", "mod preview"):
        offered = await servers.autocomplete(b, b.moderator, command, "task")
        assert "bee-choice" in offered
        assert "bee-hidden" in offered  # drafts too, for those who curate them
        assert not {"echo-twice", "draft-echo", "aye-choice"} & set(offered), (command, offered)
    tomorrow = await servers.autocomplete(b, b.moderator, "mod tomorrow", "task")
    assert {"echo-twice", "bee-choice"} <= set(tomorrow)
    assert not {"aye-choice", "bee-hidden", "draft-echo"} & set(tomorrow)
    learner = await servers.autocomplete(b, servers.learner, "mod preview", "task")
    assert learner == []
    servers.fake.assert_no_violations()


async def test_tomorrow_cannot_be_anothers_task(servers: TwoServers) -> None:
    await servers.add_task(servers.a, "aye-daily", title="Aye daily")
    b = servers.b
    refused = await servers.reply(b, b.moderator, "mod tomorrow", {"task": "aye-daily"})
    assert refused.content == (
        "There is no published task 'aye-daily' in this server. Pick one from the list."
    )
    servers.fake.assert_no_violations()


async def test_tomorrow_is_chosen_skipped_and_restored(servers: TwoServers) -> None:
    await servers.add_task(servers.b, "bee-tomorrow", title="Bee tomorrow")
    b = servers.b
    shown = await servers.reply(b, b.moderator, "mod tomorrow")
    assert shown.content.startswith("Tomorrow: ")
    assert ":f> (<t:" in shown.content
    chosen = await servers.reply(b, b.moderator, "mod tomorrow", {"task": "bee-tomorrow"})
    assert chosen.content.startswith("Tomorrow: ")
    assert chosen.content.endswith(": **Bee tomorrow** (`bee-tomorrow`).")
    skipped = await servers.reply(b, b.moderator, "mod tomorrow", {"skip": True})
    assert "is skipped: no challenge is posted that day" in skipped.content
    overview = await servers.reply(b, b.moderator, "mod settings")
    tomorrow = next(f for f in embed_of(overview)["fields"] if f["name"] == "Tomorrow")
    assert "is skipped" in tomorrow["value"]
    restored = await servers.reply(b, b.moderator, "mod tomorrow", {"skip": False})
    assert restored.content.endswith(": **Bee tomorrow** (`bee-tomorrow`).")
    both = await servers.reply(
        b, b.moderator, "mod tomorrow", {"task": "bee-tomorrow", "skip": True}
    )
    assert both.content == "Choose a task or skip the day, not both."
    servers.fake.assert_no_violations()


async def rights_of(servers: TwoServers, server: Server) -> set[int]:
    """The servers the moderator of `server` is recorded as moderating."""
    async with servers.sessions() as session:
        found = await session.scalars(
            select(ModeratorRight.guild_id)
            .join(User, User.id == ModeratorRight.user_id)
            .where(User.discord_id == server.moderator.user.id)
        )
        return set(found)


async def test_rights_are_recorded_for_the_server_only(servers: TwoServers) -> None:
    b = servers.b
    await servers.reply(b, b.moderator, "mod settings")
    assert await rights_of(servers, b) == {b.id}
    async with servers.sessions() as session:
        user = await session.scalar(select(User).where(User.discord_id == b.moderator.user.id))
        assert user is not None
        assert not user.is_curator
    servers.fake.assert_no_violations()
