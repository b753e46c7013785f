"""Learner commands besides submitting: daily, task, tasks, profile, leaderboard, link, export."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest

from core.accounts.discord_link import link_identity
from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.daily import skip_daily
from core.db import session_scope
from core.guilds import today_for
from core.models import utcnow
from core.streaks import STREAK_RULE
from tests.support.bot_scene import ECHO_RIGHT, Scene, embed_of, field_value
from tests.support.content_factories import task_document

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_daily_shows_the_same_task_to_everyone_today(scene: Scene) -> None:
    first = await scene.reply(scene.learner(), "daily")
    second = await scene.reply(scene.learner(), "daily")
    assert first.ephemeral
    title = embed_of(first)["title"]
    assert title.startswith("Daily challenge ")
    assert embed_of(second)["title"] == title
    scene.fake.assert_no_violations()


async def test_task_shows_statement_examples_limits_points_and_status(scene: Scene) -> None:
    learner = scene.learner()
    before = await scene.reply(learner, "task", {"task": "echo-twice"})
    embed = embed_of(before)
    assert embed["title"] == "Echo twice"
    assert embed["description"].startswith("Read a line and print it twice.")
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Example 1 input"] == "```\na\n\n```"
    assert fields["Output"] == "```\na\na\n\n```"
    assert "xyz" not in before.text()
    details = fields["Details"]
    assert "**Easy** · 10 points · 1 visible tests + 1 hidden" in details
    assert "Limits: 2 s, 64 MB per test" in details
    assert "not solved by you yet" in details
    await scene.submit_modal(learner, "echo-twice", ECHO_RIGHT)
    after = await scene.reply(learner, "task", {"task": "echo-twice"})
    assert "✅ solved by you" in after.text()
    scene.fake.assert_no_violations()


async def test_tasks_are_filtered_and_paged_with_buttons(scene: Scene) -> None:
    learner = scene.learner()
    everything = await scene.reply(learner, "tasks")
    assert embed_of(everything)["title"] == "Tasks (3)"
    assert "Draft echo" not in everything.text()
    hard = await scene.reply(learner, "tasks", {"difficulty": "hard"})
    assert embed_of(hard)["title"] == "Tasks (1)"
    assert "Hard echo" in hard.text()
    searched = await scene.reply(learner, "tasks", {"search": "shout"})
    assert embed_of(searched)["title"] == "Tasks (1)"
    tagged = await scene.reply(learner, "tasks", {"tag": "strings", "status": "solved"})
    assert embed_of(tagged)["description"] == "No task matches these filters."

    async with session_scope(scene.sessions) as session:
        extra = [task_document(f"extra-{n:02d}", title=f"extra-{n:02d}") for n in range(12)]
        await upsert_tasks(session, [TaskFile.model_validate(d) for d in extra])
    listed = await scene.reply(learner, "tasks", {"search": "extra"})
    assert embed_of(listed)["title"] == "Tasks (12)"
    assert embed_of(listed)["footer"]["text"] == "Page 1/2 · “extra”"
    previous_id, next_id = listed.custom_ids()
    clicked = await scene.fake.click_button(listed, next_id, learner)
    assert await clicked.wait_for_ack() == 7
    assert embed_of(listed)["footer"]["text"] == "Page 2/2 · “extra”"
    assert "extra-10" in listed.text()
    assert "extra-00" not in listed.text()
    stranger = await scene.fake.click_button(listed, previous_id, scene.learner())
    commands = scene.fake.registered_commands(scene.guild)
    tasks = next(command["id"] for command in commands if command["name"] == "tasks")
    assert (await stranger.wait_for_response()).content == (
        f"Run </tasks:{tasks}> yourself to browse the list."
    )
    scene.fake.assert_no_violations()


async def test_profile_of_oneself_and_of_another_member(scene: Scene) -> None:
    ada, bob = scene.learner("ada"), scene.learner("bob")
    await scene.submit_modal(ada, "echo-twice", ECHO_RIGHT)
    own = await scene.reply(ada, "profile")
    assert not own.ephemeral
    embed = embed_of(own)
    assert embed["title"] == f"{ada.user.username}'s profile"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Points"].startswith("10 (#")
    assert fields["Streak"] == "🔥 1 day (best 1)"
    assert fields["Solved"] == "1 tasks (1 easy)"
    assert "First Solve" in fields["Achievements (1)"]
    assert embed["footer"]["text"] == STREAK_RULE
    other = await scene.reply(bob, "profile", {"member": ada})
    assert embed_of(other)["title"] == f"{ada.user.username}'s profile"
    empty = await scene.reply(ada, "profile", {"member": bob})
    assert "0 (unranked)" in empty.text()
    scene.fake.assert_no_violations()


async def test_leaderboards_by_scope_and_period(scene: Scene) -> None:
    champion = scene.learner("champion")
    verdict = await scene.submit_modal(champion, "hard-echo", ECHO_RIGHT)
    points = int(field_value(verdict, "Points").split("total ")[1].split(" ")[0])
    assert points >= 40  # 40 for a hard task, plus a bonus when it is today's challenge
    server = await scene.reply(champion, "leaderboard")
    assert not server.ephemeral
    assert embed_of(server)["title"] == "Leaderboard · this server · all-time points"
    expected = f"**1.** {champion.user.username} · {points} pts"
    assert embed_of(server)["description"].startswith(expected)
    week = await scene.reply(champion, "leaderboard", {"scope": "global", "period": "week"})
    assert embed_of(week)["title"] == "Leaderboard · everyone · points this week"
    streak = await scene.reply(champion, "leaderboard", {"period": "streak"})
    assert f"{champion.user.username} · 1 day" in streak.text()
    scene.fake.assert_no_violations()


async def test_link_gives_a_private_signed_single_use_url(scene: Scene) -> None:
    learner = scene.learner()
    reply = await scene.reply(learner, "link")
    assert reply.ephemeral
    url = reply.content.rsplit("\n", 1)[1]
    assert url.startswith("http://codestreak.test/link?token=")
    assert reply.components[0]["components"][0]["url"] == url
    token = parse_qs(urlparse(url).query)["token"][0]
    async with scene.sessions() as session:
        identity = await link_identity(
            session, scene.bot.services.settings.secret_key.get_secret_value(), token
        )
    assert (identity.discord_id, identity.discord_name) == (learner.user.id, learner.user.username)
    scene.fake.assert_no_violations()


async def test_export_sends_the_learners_data_as_a_private_json_file(scene: Scene) -> None:
    learner = scene.learner()
    await scene.submit_modal(learner, "echo-twice", ECHO_RIGHT)
    reply = await scene.reply(learner, "export")
    assert reply.ephemeral
    assert "/account/delete" in reply.content
    (attachment,) = reply.attachments
    assert attachment.filename == "codestreak-export.json"
    data = json.loads(attachment.content)
    assert data["account"]["discord_id"] == learner.user.id
    assert [s["task"] for s in data["submissions"]] == ["echo-twice"]
    assert data["submissions"][0]["code"] == ECHO_RIGHT
    scene.fake.assert_no_violations()


async def test_fixed_choices_show_readable_names_and_send_values(scene: Scene) -> None:
    commands = {c["name"]: c for c in scene.fake.registered_commands(scene.guild)}

    def choices(command: str, option: str) -> list[tuple[str, str]]:
        (found,) = [o for o in commands[command]["options"] if o["name"] == option]
        return [(c["name"], c["value"]) for c in found["choices"]]

    difficulties = [("Easy", "easy"), ("Medium", "medium"), ("Hard", "hard")]
    assert choices("tasks", "difficulty") == difficulties
    assert choices("leaderboard", "period") == [
        ("All time", "all"),
        ("This week", "week"),
        ("Streaks", "streak"),
    ]


async def test_a_skipped_day_has_no_daily_challenge_and_the_picker_still_works(
    scene: Scene,
) -> None:
    async with session_scope(scene.sessions) as session:
        today = await today_for(session, scene.guild.id, utcnow())
        await skip_daily(session, scene.guild.id, today)
    try:
        learner = scene.learner()
        daily = await scene.reply(learner, "daily")
        assert daily.ephemeral
        assert "no daily challenge today" in daily.text()
        message = scene.fake.add_message(scene.channel, learner, f"```py\n{ECHO_RIGHT}```")
        record = await scene.fake.send_message_context(
            scene.channel, learner, "Submit solution", message
        )
        picker = await record.wait_for_response()
        assert picker.content == "Which task is this code for?"
        options = [o["value"] for o in picker.components[0]["components"][0]["options"]]
        assert "echo-twice" in options
    finally:
        async with session_scope(scene.sessions) as session:
            await skip_daily(session, scene.guild.id, today, skip=False)
    scene.fake.assert_no_violations()
