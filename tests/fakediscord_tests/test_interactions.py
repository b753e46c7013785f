"""Every kind of interaction reaches the real bot, and its answers are recorded."""

from __future__ import annotations

from .sample_bot import Scene


async def test_slash_command_answered_directly(scene: Scene) -> None:
    record = await scene.fake.send_slash(scene.channel, scene.learner, "ping")
    message = await record.wait_for_response()
    assert (message.content, record.ack_type, record.ephemeral) == ("pong", 4, False)
    assert record.ack_delay_s is not None
    assert record.ack_delay_s < 1
    assert scene.fake.bot_messages_in(scene.channel) == [message]
    scene.fake.assert_no_violations()


async def test_deferred_command_completed_by_followups(scene: Scene) -> None:
    record = await scene.fake.send_slash(scene.channel, scene.learner, "work")
    assert await record.wait_for_ack() == 5
    message = await record.wait_for_response()
    second = await record.wait_for_followup(2)
    assert (message.content, message.loading) == ("work done", False)
    assert record.followups == [message, second]
    assert second.content == "second note"
    assert second.id != message.id
    scene.fake.assert_no_violations()


async def test_modal_shown_and_submitted(scene: Scene) -> None:
    record = await scene.fake.send_slash(scene.channel, scene.learner, "submit")
    modal = await record.wait_for_modal()
    assert modal["title"] == "Submit your code"
    submitted = await scene.fake.submit_modal(record, {"Code": "print(42)\n"})
    reply = await submitted.wait_for_response()
    assert (reply.content, reply.ephemeral) == ("got 10 chars", True)
    assert scene.fake.messages_in(scene.channel) == []
    scene.fake.assert_no_violations()


async def test_subcommand_group_with_options(scene: Scene) -> None:
    record = await scene.fake.send_slash(
        scene.channel, scene.learner, "mod task publish", {"slug": "sum-of-digits", "daily": True}
    )
    reply = await record.wait_for_response()
    assert reply.content == "published sum-of-digits daily=True"
    scene.fake.assert_no_violations()


async def test_attachment_option_is_downloadable_and_files_are_uploaded(scene: Scene) -> None:
    source = scene.fake.make_attachment("solution.py", "print(sum(map(int, input())))\n")
    record = await scene.fake.send_slash(scene.channel, scene.learner, "upload", {"file": source})
    reply = await record.wait_for_response()
    assert reply.content == "solution.py: print(sum(map(int, input())))\n"
    assert [a.filename for a in reply.attachments] == ["echo.py"]
    assert reply.attachments[0].content == source.content
    scene.fake.assert_no_violations()


async def test_autocomplete_choices(scene: Scene) -> None:
    record = await scene.fake.send_autocomplete(
        scene.channel, scene.learner, "find", focused="task", options={"task": "co"}
    )
    choices = await record.wait_for_autocomplete()
    assert [c["value"] for c in choices] == ["collatz-countdown"]
    scene.fake.assert_no_violations()


async def test_message_context_menu(scene: Scene) -> None:
    target = scene.fake.add_message(scene.channel, scene.learner, "print('hi')")
    record = await scene.fake.send_message_context(
        scene.channel, scene.learner, "Submit code", target
    )
    reply = await record.wait_for_response()
    assert reply.content == "code from ada: print('hi')"
    scene.fake.assert_no_violations()


async def test_user_context_menu(scene: Scene) -> None:
    grace = scene.fake.add_member(scene.guild, "grace")
    record = await scene.fake.send_user_context(scene.channel, scene.learner, "View profile", grace)
    reply = await record.wait_for_response()
    assert (reply.content, reply.ephemeral) == ("profile of grace", True)
    scene.fake.assert_no_violations()


async def test_button_updates_its_message_and_select_answers(scene: Scene) -> None:
    record = await scene.fake.send_slash(scene.channel, scene.learner, "menu")
    menu = await record.wait_for_response()
    assert menu.custom_ids() == ["press", "pick"]
    picked = await scene.fake.select(menu, "pick", ["hard"], scene.learner)
    assert (await picked.wait_for_response()).content == "picked hard"
    pressed = await scene.fake.click_button(menu, "press", scene.learner)
    assert await pressed.wait_for_ack() == 7
    assert (menu.content, menu.components) == ("pressed", [])
    scene.fake.assert_no_violations()


async def test_channel_message_and_thread(scene: Scene) -> None:
    record = await scene.fake.send_slash(scene.channel, scene.learner, "announce")
    await record.wait_for_response()
    posted = scene.fake.bot_messages_in(scene.channel)
    assert [m.content for m in posted] == ["Daily challenge!"]
    (thread,) = scene.fake.threads_of(scene.channel)
    assert (thread.name, thread.id) == ("Daily discussion", posted[0].id)
    assert [m.content for m in scene.fake.messages_in(thread)] == ["Discuss here"]
    scene.fake.assert_no_violations()


async def test_direct_message_to_a_member(scene: Scene) -> None:
    user = await scene.bot.fetch_user(scene.learner.user.id)
    await user.send("Welcome to the training ground")
    assert [m.content for m in scene.fake.dm_messages_to(scene.learner)] == [
        "Welcome to the training ground"
    ]
    scene.fake.assert_no_violations()
