"""Submitting through Discord: modal, attachment and message menu (one graded in the sandbox)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db import session_scope
from core.guilds import map_achievement_role, set_channel
from core.models import Solve, Submission, User
from tests.support.bot_scene import (
    ECHO_CRASH,
    ECHO_RIGHT,
    ECHO_WRONG,
    GRADING_TIMEOUT_S,
    SHOUT_RIGHT,
    Scene,
    acknowledged,
    embed_of,
    field_value,
)
from tests.support.fake_grader import ScriptedGrader

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_modal_is_prefilled_with_the_template(scene: Scene) -> None:
    ada = scene.learner()
    record = await scene.slash(ada, "submit", {"task": "echo-twice"})
    modal = await record.wait_for_modal()
    assert modal["title"] == "Submit: Echo twice"
    row, share = modal["components"]
    (text_input,) = row["components"]
    assert share["component"]["default"] is False  # nothing shared before being asked
    assert text_input["value"] == "line = input()\n# your code here\n"
    assert (text_input["max_length"], text_input["style"]) == (4000, 2)
    scene.fake.assert_no_violations()


@pytest.mark.usefixtures("real_sandbox")
async def test_accepted_through_the_modal_shows_points_streak_and_is_announced(
    scene: Scene,
) -> None:
    async with session_scope(scene.sessions) as session:
        await set_channel(session, scene.guild.id, scene.challenges.id)
    ada = scene.learner("ada")
    verdict = await scene.submit_modal(ada, "echo-twice", ECHO_RIGHT)
    embed = embed_of(verdict)
    assert verdict.ephemeral
    assert embed["title"] == "✅ Accepted · Echo twice"
    assert "Passed 2/2 tests" in embed["description"]
    assert "Hidden tests: 1/1 passed" in embed["description"]
    assert field_value(verdict, "Points").startswith("+10 points")
    assert field_value(verdict, "Streak") == "🔥 1 day"
    assert "First Solve" in field_value(verdict, "Achievements unlocked")
    # in the challenge channel (or today's thread), not where /submit was typed
    announcement = await scene.wait_for_announcement(ada)
    assert "solved **Echo twice** (+10 points" in announcement.content
    assert "\n" not in announcement.content
    assert not any(f"<@{ada.user.id}>" in m.content for m in scene.fake.messages_in(scene.channel))
    scene.fake.assert_no_violations()


async def test_wrong_answer_shows_the_first_failing_visible_test(scene: Scene) -> None:
    grace = scene.learner("grace")
    verdict = await scene.submit_modal(grace, "echo-twice", ECHO_WRONG)
    embed = embed_of(verdict)
    assert embed["title"] == "❌ Wrong answer · Echo twice"
    assert "Passed 0/2 tests" in embed["description"]
    assert "Hidden tests: 0/1 passed 🟥" in embed["description"]
    assert field_value(verdict, "Test 1 input") == "```\na\n\n```"
    assert field_value(verdict, "Where it differs") == (
        "Your output ends after line 1; line 2 was expected."
    )
    assert field_value(verdict, "Expected output") == "```\n  1 │ a\n» 2 │ a\n```"
    assert field_value(verdict, "Your output") == "```\n  1 │ a\n»   │ (end of output)\n```"
    assert field_value(verdict, "Points") == "Total: 0 points"
    async with scene.sessions() as session:
        user = await session.scalar(select(User).where(User.discord_id == grace.user.id))
        assert user is not None
        verdicts = list(
            await session.scalars(select(Submission.verdict).where(Submission.user_id == user.id))
        )
    assert verdicts == ["wrong_answer"]
    scene.fake.assert_no_violations()


async def test_runtime_error_shows_the_last_traceback_lines(scene: Scene) -> None:
    verdict = await scene.submit_modal(scene.learner(), "echo-twice", ECHO_CRASH)
    assert embed_of(verdict)["title"] == "💥 Runtime error · Echo twice"
    assert "ValueError: boom a" in field_value(verdict, "Error")
    assert "Traceback" in field_value(verdict, "Error")
    scene.fake.assert_no_violations()


async def test_attached_file_is_graded(scene: Scene) -> None:
    verdict = await scene.submit_file(scene.learner(), "shout-twice", SHOUT_RIGHT)
    assert embed_of(verdict)["title"] == "✅ Accepted · Shout twice"
    assert verdict.ephemeral
    scene.fake.assert_no_violations()


async def test_attachment_that_is_not_utf8_is_refused_briefly(scene: Scene) -> None:
    reply = await scene.submit_file(scene.learner(), "echo-twice", b"print('\xff\xfe')\n")
    assert reply.ephemeral
    assert "not valid UTF-8" in reply.content
    assert "Traceback" not in reply.text()
    scene.fake.assert_no_violations()


async def test_attachment_must_be_a_code_file_within_the_size_limit(scene: Scene) -> None:
    member = scene.learner()
    wrong_kind = await scene.submit_file(member, "echo-twice", ECHO_RIGHT, filename="notes.pdf")
    assert wrong_kind.content.startswith("`notes.pdf` is not a code file. Attach a `.py` or `.txt`")
    huge = "# padding\n" * 7000 + ECHO_RIGHT
    too_big = await scene.submit_file(member, "echo-twice", huge)
    assert "the limit is 64 KB" in too_big.content
    scene.fake.assert_no_violations()


async def test_unknown_task_is_refused(scene: Scene) -> None:
    reply = await scene.reply(scene.learner(), "submit", {"task": "no-such-task"})
    assert reply.ephemeral
    assert "no published task" in reply.content
    draft = await scene.submit_file(scene.learner(), "draft-echo", ECHO_RIGHT)
    assert "no published task 'draft-echo'" in draft.content
    scene.fake.assert_no_violations()


async def test_task_autocomplete_matches_title_and_slug(scene: Scene) -> None:
    member = scene.learner()
    by_title = await scene.fake.send_autocomplete(
        scene.channel, member, "submit", focused="task", options={"task": "Shout"}
    )
    assert [c["value"] for c in await by_title.wait_for_autocomplete()] == ["shout-twice"]
    by_slug = await scene.fake.send_autocomplete(
        scene.channel, member, "submit", focused="task", options={"task": "echo"}
    )
    values = [c["value"] for c in await by_slug.wait_for_autocomplete()]
    assert sorted(values) == ["echo-twice", "hard-echo"]
    scene.fake.assert_no_violations()


async def test_message_menu_grades_the_code_block_of_the_named_task(scene: Scene) -> None:
    author = scene.learner()
    message = scene.fake.add_message(
        scene.channel,
        author,
        f"My try at shout-twice:\n```python\n{SHOUT_RIGHT}```\n```\nprint('not this one')\n```",
    )
    record = await scene.fake.send_message_context(
        scene.channel, author, "Submit solution", message
    )
    await acknowledged(record)
    verdict = await record.wait_for_response(GRADING_TIMEOUT_S)
    assert embed_of(verdict)["title"] == "✅ Accepted · Shout twice"
    scene.fake.assert_no_violations()


async def test_message_menu_asks_for_the_task_with_a_select(scene: Scene) -> None:
    author = scene.learner()
    message = scene.fake.add_message(
        scene.channel, author, "here you go\n```py\nline = input()\nprint(line)\nprint(line)\n```"
    )
    record = await scene.fake.send_message_context(
        scene.channel, author, "Submit solution", message
    )
    picker = await record.wait_for_response()
    assert picker.ephemeral
    assert picker.content == "Which task is this code for?"
    (custom_id,) = picker.custom_ids()
    options = [o["value"] for o in picker.components[0]["components"][0]["options"]]
    assert "echo-twice" in options
    assert "draft-echo" not in options
    chosen = await scene.fake.select(picker, custom_id, ["echo-twice"], author)
    await acknowledged(chosen)
    verdict = await chosen.wait_for_response(GRADING_TIMEOUT_S)
    assert embed_of(verdict)["title"] == "✅ Accepted · Echo twice"
    await scene.fake.wait_until(
        lambda: True if picker.content.startswith("Code sent for **Echo twice**") else None,
        what="the picker to be replaced",
    )
    scene.fake.assert_no_violations()


async def test_message_menu_refuses_someone_elses_message(scene: Scene) -> None:
    author, other = scene.learner(), scene.learner()
    message = scene.fake.add_message(scene.channel, author, f"```python\n{ECHO_RIGHT}```")
    record = await scene.fake.send_message_context(scene.channel, other, "Submit solution", message)
    reply = await record.wait_for_response()
    assert reply.ephemeral
    assert reply.content == "You can only submit code from your own messages."
    without_code = scene.fake.add_message(scene.channel, other, "no code here")
    record = await scene.fake.send_message_context(
        scene.channel, other, "Submit solution", without_code
    )
    assert "no code block" in (await record.wait_for_response()).content
    scene.fake.assert_no_violations()


async def test_a_role_named_like_the_achievement_is_not_granted_unless_mapped(
    scene: Scene,
) -> None:
    assert scene.solver_role.name == "Solver"  # the default role name of First Solve
    learner = scene.learner()
    verdict = await scene.submit_modal(learner, "echo-twice", ECHO_RIGHT)
    assert "First Solve" in field_value(verdict, "Achievements unlocked")
    assert scene.fake.role_names_of(scene.guild, learner) == []
    scene.fake.assert_no_violations()


async def test_role_above_the_bot_is_reported_and_the_result_kept(scene: Scene) -> None:
    await scene.reply(scene.moderator, "mod channel", {"channel": scene.challenges})
    async with session_scope(scene.sessions) as session:
        # mapped while it was below the bot; it has moved above the bot since
        await map_achievement_role(session, scene.guild.id, "hard-hitter", scene.high_role.id)
    learner = scene.learner("hardy")
    verdict = await scene.submit_modal(learner, "hard-echo", ECHO_RIGHT)
    assert embed_of(verdict)["title"] == "✅ Accepted · Hard echo"
    assert field_value(verdict, "Points").startswith("+40 points")
    assert "Hard Hitter" in field_value(verdict, "Achievements unlocked")
    note = field_value(verdict, "Note")
    assert "**Hard Hitter** could not be given yet" in note
    assert "not below my highest role" in note
    report = await scene.fake.wait_until(
        lambda: next(
            (m for m in scene.fake.dm_messages_to(scene.moderator) if "Hard Hitter" in m.content),
            None,
        ),
        what="the report by DM to the moderator who configured the server (no mod-log channel)",
    )
    assert report.content.startswith("🛠️ In **Training Ground**: I could not give")
    assert scene.fake.role_names_of(scene.guild, learner) == []
    async with scene.sessions() as session:
        user = await session.scalar(select(User).where(User.discord_id == learner.user.id))
        assert user is not None
        assert user.points == 40
        assert await session.scalar(select(Solve.id).where(Solve.user_id == user.id))
    scene.fake.assert_no_violations()


async def test_second_accepted_submission_awards_nothing_new(scene: Scene) -> None:
    learner = scene.learner()
    await scene.submit_modal(learner, "echo-twice", ECHO_RIGHT)
    again = await scene.submit_modal(learner, "echo-twice", ECHO_RIGHT)
    assert field_value(again, "Points").startswith("Already solved before")
    scene.fake.assert_no_violations()


async def test_cooldown_between_submissions(scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scene.bot.services.cooldown, "period_s", 60.0)
    learner = scene.learner()
    await scene.submit_file(learner, "echo-twice", ECHO_WRONG)
    record = await scene.slash(
        learner,
        "submit",
        {"task": "echo-twice", "file": scene.fake.make_attachment("s.py", ECHO_RIGHT)},
    )
    reply = await record.wait_for_response()
    assert reply.ephemeral
    assert reply.content.startswith("⏳ Not so fast: you can submit again in ")
    scene.fake.assert_no_violations()


async def test_busy_grader_is_reported_and_does_not_count_for_the_cooldown(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scene.bot.services.submissions, "grader", ScriptedGrader())
    monkeypatch.setattr(scene.bot.services.cooldown, "period_s", 60.0)
    learner = scene.learner()
    busy = await scene.submit_file(learner, "echo-twice", "# busy\n")
    assert embed_of(busy)["title"] == "⚠️ Not graded · Echo twice"
    assert embed_of(busy)["description"] == (
        "The grader is busy right now. Please try again in a minute."
    )
    accepted = await scene.submit_file(learner, "echo-twice", "# accept\n")
    assert embed_of(accepted)["title"] == "✅ Accepted · Echo twice"
    scene.fake.assert_no_violations()
