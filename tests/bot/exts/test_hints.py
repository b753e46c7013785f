"""`/hint` through the real bot on the fake Discord: revealed hints shown privately, the next
one offered at its stated cost behind a Reveal button that only its learner may press and that
reveals nothing twice; free hints once solved; `/task` and `/help` point to it; a task file added
with `/mod task-add` brings its hints."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.db import session_scope
from core.hints import HINT_RULE
from core.models import HintReveal, Task, User
from tests.fakediscord import FakeAttachment, FakeMember, FakeMessage
from tests.support.bot_scene import ECHO_RIGHT, Scene, embed_of, field_value
from tests.support.content_factories import task_document

pytestmark = pytest.mark.asyncio(loop_scope="module")

HINTS = ["Read the line once with `input()`.", "Print it, then print it again.", "Two prints."]
OFFER_1 = (
    "Hint 1 of 3 costs 20% of the task's points: a solve now earns 40, after it 32; "
    "never less than 16."
)
OFFER_2 = (
    "Hint 2 of 3 costs 20% of the task's points: a solve now earns 32, after it 24; "
    "never less than 16."
)


async def _hinted(scene: Scene, slug: str, owner: int = 0, hints: list[str] = HINTS) -> int:
    """A published task worth 40 points with `hints`, of the shared catalogue or `owner`."""
    document = task_document(
        slug, title=slug.replace("-", " ").capitalize(), points=40, hints=hints
    )
    async with session_scope(scene.sessions) as session:
        await upsert_tasks(session, [TaskFile.model_validate(document)], owner=owner)
        task_id = await session.scalar(
            select(Task.id).where(Task.slug == slug, Task.owner_guild_id == owner)
        )
    assert task_id is not None
    return task_id


def _command_id(scene: Scene, name: str) -> str:
    return str(
        next(c["id"] for c in scene.fake.registered_commands(scene.guild) if c["name"] == name)
    )


def _hint_fields(message: FakeMessage) -> list[tuple[str, str]]:
    return [(f["name"], f["value"]) for f in embed_of(message).get("fields", [])]


def _button_label(message: FakeMessage) -> str:
    ((button,),) = [row["components"] for row in message.components]
    return str(button["label"])


async def _press(scene: Scene, message: FakeMessage, member: FakeMember) -> FakeMessage:
    """Press the message's only button as `member`; the message once the bot updated it."""
    (button,) = message.custom_ids()
    clicked = await scene.fake.click_button(message, button, member)
    assert await clicked.wait_for_ack() == 6  # a deferred update: the message itself changes
    return await clicked.wait_for_response()


async def _revealed(scene: Scene, member: FakeMember, task_id: int) -> int | None:
    """How many hints of the task the member's learner revealed, as stored."""
    async with scene.sessions() as session:
        return await session.scalar(
            select(HintReveal.revealed)
            .join(User, User.id == HintReveal.user_id)
            .where(User.discord_id == member.user.id, HintReveal.task_id == task_id)
        )


async def test_hints_are_offered_at_their_cost_and_revealed_one_at_a_time(scene: Scene) -> None:
    task_id = await _hinted(scene, "hinted-echo")
    learner = scene.learner()
    offered = await scene.reply(learner, "hint", {"task": "hinted-echo"})
    assert offered.ephemeral
    embed = embed_of(offered)
    assert (embed["title"], embed["description"]) == ("Hints: Hinted echo", OFFER_1)
    assert _hint_fields(offered) == []
    assert offered.custom_ids() == [f"codestreak:hint:{learner.user.id}:{task_id}:0"]
    assert _button_label(offered) == "Reveal hint 1"
    assert await _revealed(scene, learner, task_id) is None  # asking reveals nothing

    first = await _press(scene, offered, learner)
    assert embed_of(first)["description"] == OFFER_2
    assert _hint_fields(first) == [("Hint 1", HINTS[0])]
    assert _button_label(first) == "Reveal hint 2"
    second = await _press(scene, first, learner)
    last = await _press(scene, second, learner)
    assert _hint_fields(last) == [(f"Hint {n}", text) for n, text in enumerate(HINTS, 1)]
    assert embed_of(last)["description"] == (
        "You revealed every hint: a solve now earns 16 points. Send it with "
        f"</submit:{_command_id(scene, 'submit')}> `task:hinted-echo`."
    )
    assert last.custom_ids() == []
    assert await _revealed(scene, learner, task_id) == 3

    again = await scene.reply(learner, "hint", {"task": "hinted-echo"})
    assert len(_hint_fields(again)) == 3  # revealed hints are free to read again
    assert again.custom_ids() == []
    scene.fake.assert_no_violations()


async def test_a_stale_button_or_someone_elses_press_reveals_nothing(scene: Scene) -> None:
    task_id = await _hinted(scene, "stale-echo")
    learner = scene.learner()
    earlier = await scene.reply(learner, "hint", {"task": "stale-echo"})
    later = await scene.reply(learner, "hint", {"task": "stale-echo"})

    stranger = scene.learner()
    refused = await scene.fake.click_button(earlier, earlier.custom_ids()[0], stranger)
    told = (await refused.wait_for_response()).content
    assert (
        told
        == f"These hints are someone else's: run </hint:{_command_id(scene, 'hint')}> for yours."
    )
    assert await _revealed(scene, stranger, task_id) is None
    assert await _revealed(scene, learner, task_id) is None

    revealed = await _press(scene, later, learner)
    assert _hint_fields(revealed) == [("Hint 1", HINTS[0])]
    stale = await _press(scene, earlier, learner)
    assert _hint_fields(stale) == [("Hint 1", HINTS[0])]
    assert embed_of(stale)["footer"]["text"] == (
        "That hint was revealed already: nothing was counted twice."
    )
    assert embed_of(stale)["description"] == OFFER_2
    assert await _revealed(scene, learner, task_id) == 1
    scene.fake.assert_no_violations()


async def test_a_reveal_button_of_a_task_unpublished_since_reveals_nothing(scene: Scene) -> None:
    task_id = await _hinted(scene, "withdrawn-echo")
    learner = scene.learner()
    offered = await scene.reply(learner, "hint", {"task": "withdrawn-echo"})
    async with session_scope(scene.sessions) as session:
        task = await session.get(Task, task_id)
        assert task is not None
        task.published = False

    gone = await _press(scene, offered, learner)
    assert gone.content == "This task is no longer published here, so it has no hints to reveal."
    assert gone.custom_ids() == []
    assert await _revealed(scene, learner, task_id) is None
    scene.fake.assert_no_violations()


async def test_once_solved_every_hint_is_free(scene: Scene) -> None:
    await _hinted(scene, "solved-echo")
    learner = scene.learner()
    verdict = await scene.submit_modal(learner, "solved-echo", ECHO_RIGHT)
    assert "Accepted" in embed_of(verdict)["title"]
    free = await scene.reply(learner, "hint", {"task": "solved-echo"})
    assert embed_of(free)["description"] == (
        "You solved this task, so its hints are free: here they all are."
    )
    assert _hint_fields(free) == [(f"Hint {n}", text) for n, text in enumerate(HINTS, 1)]
    assert free.custom_ids() == []
    shown = await scene.reply(learner, "task", {"task": "solved-echo"})
    assert field_value(shown, "Details").endswith("(free now that you solved it)")
    scene.fake.assert_no_violations()


async def test_tasks_without_hints_and_tasks_out_of_reach_say_so(scene: Scene) -> None:
    learner = scene.learner()
    plain = await scene.reply(learner, "hint", {"task": "echo-twice"})
    assert plain.ephemeral
    assert plain.content == (
        f"**Echo twice** has no hints. </task:{_command_id(scene, 'task')}> `task:echo-twice` "
        "shows its statement and examples again."
    )
    await _hinted(scene, "elsewhere-echo", owner=scene.guild.id + 1)
    tasks = f"</tasks:{_command_id(scene, 'tasks')}>"
    for slug in ("no-such-task", "draft-echo", "elsewhere-echo"):
        missing = await scene.reply(learner, "hint", {"task": slug})
        assert missing.content == f"There is no published task `{slug}`. Try {tasks}.", slug
    scene.fake.assert_no_violations()


async def test_the_task_picker_offers_this_servers_published_tasks(scene: Scene) -> None:
    await _hinted(scene, "house-hinted", owner=scene.guild.id)
    record = await scene.fake.send_autocomplete(
        scene.channel, scene.learner(), "hint", focused="task", options={"task": "echo"}
    )
    values = [choice["value"] for choice in await record.wait_for_autocomplete()]
    assert "echo-twice" in values
    assert "draft-echo" not in values
    house = await scene.fake.send_autocomplete(
        scene.channel, scene.learner(), "hint", focused="task", options={"task": "house"}
    )
    assert [c["value"] for c in await house.wait_for_autocomplete()] == ["house-hinted"]


async def test_task_and_help_point_to_hints(scene: Scene) -> None:
    await _hinted(scene, "pointed-echo")
    learner = scene.learner()
    shown = await scene.reply(learner, "task", {"task": "pointed-echo"})
    hint = f"</hint:{_command_id(scene, 'hint')}>"
    assert field_value(shown, "Details").endswith(
        f"\n💡 3 hints available — {hint} `task:pointed-echo` (each costs points)"
    )
    plain = await scene.reply(learner, "task", {"task": "echo-twice"})
    assert "hints available" not in field_value(plain, "Details")
    helped = await scene.reply(learner, "help")
    assert field_value(helped, "Hints") == (
        f"Stuck? {hint} reveals a task's hints one at a time. {HINT_RULE}"
    )
    scene.fake.assert_no_violations()


async def test_a_task_file_added_on_discord_brings_its_hints(scene: Scene) -> None:
    def attached(document: dict[str, object]) -> FakeAttachment:
        return scene.fake.make_attachment("task.json", json.dumps(document), "application/json")

    leaky = task_document("leaky-echo", hints=["line = input()\nprint(line)\nprint(line)"])
    refused = await scene.reply(scene.moderator, "mod task-add", {"file": attached(leaky)})
    assert "• task.json: hints[0]: repeats lines 1-3 of the reference solution" in (refused.content)
    document = task_document("added-echo", title="Added echo", points=40, hints=HINTS)
    added = await scene.reply(scene.moderator, "mod task-add", {"file": attached(document)})
    assert added.content.startswith("Added **Added echo**"), added.content
    offered = await scene.reply(scene.learner(), "hint", {"task": "added-echo"})
    assert embed_of(offered)["description"] == OFFER_1
    scene.fake.assert_no_violations()
