"""Learners in many servers: a server's own tasks show, grade and score only in that server.

The real bot on the fake Discord with servers A and B (tests.support.two_servers); each test adds
its own task to B, so B sees the shared catalogue plus that task while A and DMs see only the
shared catalogue.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.render.tasks import SERVER_MARK, SERVER_TASK
from core.daily_mix import parse_mix
from core.db import session_scope
from core.guilds import guild_settings, set_channel, set_daily_mix
from core.models import Submission, Task, User
from tests.fakediscord import FakeMessage, FakeUser
from tests.support.bot_scene import ECHO_RIGHT, GRADING_TIMEOUT_S, embed_of, field_value
from tests.support.two_servers import Server, TwoServers, Where

pytestmark = pytest.mark.asyncio(loop_scope="module")

NOT_HERE = "There is no published task `{slug}`. Try </tasks:{tasks}>."


def listed_slugs(message: FakeMessage) -> list[str]:
    """The slugs on a /tasks page."""
    return re.findall(r"\(`([^`]+)`\)", embed_of(message).get("description", ""))


def board_points(message: FakeMessage, user: FakeUser) -> int | None:
    """The points a /leaderboard reply shows for `user`, or None when they are not on it."""
    for line in embed_of(message)["description"].splitlines():
        found = re.fullmatch(rf"\*\*\d+\.\*\* {re.escape(user.username)} · (\d+) pts", line)
        if found:
            return int(found.group(1))
    return None


async def task_count(servers: TwoServers, where: Where) -> int:
    """How many tasks /tasks counts where it is used."""
    listed = await servers.reply(where, servers.learner, "tasks")
    found = re.fullmatch(r"Tasks \((\d+)\)", embed_of(listed)["title"])
    assert found, embed_of(listed)["title"]
    return int(found.group(1))


async def menu_submit(
    servers: TwoServers, where: Server, user: FakeUser, content: str
) -> FakeMessage:
    """`user` writes `content` in the server and runs "Submit solution" on it; the reply."""
    message = servers.fake.add_message(where.general, user, content)
    record = await servers.fake.send_message_context(
        where.general, user, "Submit solution", message
    )
    return await record.wait_for_response(GRADING_TIMEOUT_S)


def picker_options(picker: FakeMessage) -> dict[str, dict[str, Any]]:
    """The options of the "Which task is this code for?" select, by slug."""
    assert picker.content == "Which task is this code for?"
    return {o["value"]: o for o in picker.components[0]["components"][0]["options"]}


async def test_a_servers_task_is_listed_shown_and_suggested_only_in_that_server(
    servers: TwoServers,
) -> None:
    await servers.add_task(servers.b, "bee-list", title="Bee list", tags=["bee-tag"])
    learner = servers.learner

    listed = await servers.reply(servers.b, learner, "tasks", {"search": "bee-list"})
    assert listed_slugs(listed) == ["bee-list"]
    assert embed_of(listed)["description"].startswith(f"{SERVER_MARK} **Bee list**")
    assert f"{SERVER_MARK} this server's task" in embed_of(listed)["footer"]["text"]
    by_tag = await servers.reply(servers.b, learner, "tasks", {"tag": "bee-tag"})
    assert listed_slugs(by_tag) == ["bee-list"]
    shown = await servers.reply(servers.b, learner, "task", {"task": "bee-list"})
    assert embed_of(shown)["title"] == "Bee list"
    assert field_value(shown, "Details").startswith(SERVER_TASK)
    assert await servers.autocomplete(servers.b, learner, "task", "task", "bee") == ["bee-list"]
    assert await servers.autocomplete(servers.b, learner, "submit", "task", "bee") == ["bee-list"]
    assert await servers.autocomplete(servers.b, learner, "tasks", "tag", "bee") == ["bee-tag"]

    for where in (servers.a, None):
        listed = await servers.reply(where, learner, "tasks", {"search": "bee-list"})
        assert embed_of(listed)["description"] == "No task matches these filters."
        by_tag = await servers.reply(where, learner, "tasks", {"tag": "bee-tag"})
        assert listed_slugs(by_tag) == []
        shown = await servers.reply(where, learner, "task", {"task": "bee-list"})
        tasks = next(c["id"] for c in servers.fake.registered_commands() if c["name"] == "tasks")
        assert shown.content == f"There is no published task `bee-list`. Try </tasks:{tasks}>."
        assert await servers.autocomplete(where, learner, "task", "task", "bee") == []
        assert await servers.autocomplete(where, learner, "submit", "task", "bee") == []
        assert await servers.autocomplete(where, learner, "tasks", "tag", "bee") == []
    shared = await servers.reply(servers.a, learner, "task", {"task": "echo-twice"})
    assert SERVER_TASK not in field_value(shared, "Details")
    assert await task_count(servers, servers.b) == await task_count(servers, servers.a) + 1
    assert await task_count(servers, None) == await task_count(servers, servers.a)
    servers.fake.assert_no_violations()


async def test_solving_a_servers_task_counts_on_that_servers_board_only(
    servers: TwoServers,
) -> None:
    await servers.add_task(servers.b, "bee-solve", title="Bee solve")
    solver = servers.in_both("solver")
    async with session_scope(servers.sessions) as session:
        await set_channel(session, servers.b.id, servers.b.challenges.id)

    verdict = await servers.submit_file(servers.b, solver, "bee-solve", ECHO_RIGHT)

    assert embed_of(verdict)["title"] == "✅ Accepted · Bee solve"
    points = field_value(verdict, "Points")
    assert points.startswith("+10 points")
    assert "this server" in points
    b_board = await servers.reply(servers.b, solver, "leaderboard")
    assert board_points(b_board, solver) == 10
    a_board = await servers.reply(servers.a, solver, "leaderboard")
    assert board_points(a_board, solver) in (None, 0)
    for where in (servers.a, servers.b, None):
        everyone = await servers.reply(where, solver, "leaderboard", {"scope": "global"})
        assert board_points(everyone, solver) in (None, 0)
    profile = await servers.reply(servers.b, solver, "profile")
    assert field_value(profile, "Points").startswith("0 ")
    async with servers.sessions() as session:
        user = await session.scalar(select(User).where(User.discord_id == solver.id))
        assert user is not None
        assert (user.points, user.week_points, user.current_streak) == (0, 0, 0)
    # announced in B's challenge channel (or today's thread there), nowhere else
    places = [servers.b.challenges, *servers.fake.threads_of(servers.b.challenges)]
    announced = await servers.fake.wait_until(
        lambda: next(
            (m for p in places for m in servers.fake.bot_messages_in(p) if "Bee" in m.content),
            None,
        ),
        what="the announcement in server B",
    )
    assert "solved **Bee solve**" in announced.content
    for general in (servers.a.general, servers.b.general):
        assert not [m for m in servers.fake.bot_messages_in(general) if "Bee" in m.content]
    async with session_scope(servers.sessions) as session:
        (await guild_settings(session, servers.b.id)).challenge_channel_id = None
    servers.fake.assert_no_violations()


async def test_a_servers_task_is_unknown_in_other_servers_and_in_dms(servers: TwoServers) -> None:
    await servers.add_task(servers.b, "bee-away", title="Bee away")
    learner = servers.learner

    tasks = next(c["id"] for c in servers.fake.registered_commands() if c["name"] == "tasks")
    for where in (servers.a, None):
        by_file = await servers.submit_file(where, learner, "bee-away", ECHO_RIGHT)
        assert by_file.content.startswith("There is no published task")
        assert "bee-away" in by_file.content
        by_modal = await servers.reply(where, learner, "submit", {"task": "bee-away"})
        assert by_modal.content == NOT_HERE.format(slug="bee-away", tasks=tasks)

    unnamed = f"my answer:\n```python\n{ECHO_RIGHT}```"
    in_a = picker_options(await menu_submit(servers, servers.a, learner, unnamed))
    assert "echo-twice" in in_a
    assert "bee-away" not in in_a
    in_b = picker_options(await menu_submit(servers, servers.b, learner, unnamed))
    assert in_b["bee-away"]["emoji"]["name"] == SERVER_MARK
    assert "emoji" not in in_b["echo-twice"]
    named_in_a = await menu_submit(servers, servers.a, learner, f"bee-away{unnamed}")
    assert named_in_a.content == "Which task is this code for?"
    async with servers.sessions() as session:
        task = await session.scalar(select(Task).where(Task.slug == "bee-away"))
        assert task is not None
        tried = select(func.count()).select_from(Submission).where(Submission.task_id == task.id)
        assert await session.scalar(tried) == 0

    named = await menu_submit(servers, servers.b, learner, f"bee-away:\n```python\n{ECHO_RIGHT}```")
    assert embed_of(named)["title"] == "✅ Accepted · Bee away"
    servers.fake.assert_no_violations()


async def test_a_servers_daily_challenge_can_be_its_own_task_and_never_anothers(
    servers: TwoServers,
) -> None:
    await servers.add_task(servers.b, "bee-daily", title="Bee daily")
    start = servers.clock.now

    async def mix_of_both(mix: str | None) -> None:
        """Both servers' daily mix: `every day: any` makes one rotation go through every task."""
        async with session_scope(servers.sessions) as session:
            for server in (servers.a, servers.b):
                await set_daily_mix(session, server.id, None if mix is None else parse_mix(mix))

    async def dailies(where: Server) -> list[str]:
        """The titles /daily shows on as many days as the server has tasks (a whole rotation)."""
        titles = []
        for _ in range(await task_count(servers, where)):
            servers.clock.now += timedelta(days=1)
            shown = await servers.reply(where, servers.learner, "daily")
            titles.append(embed_of(shown)["title"].partition(": ")[2])
        return titles

    await mix_of_both("every day: any")
    try:
        in_b, in_a = await dailies(servers.b), await dailies(servers.a)
    finally:
        servers.clock.now = start
        await mix_of_both(None)
    assert "Bee daily" in in_b
    assert "Bee daily" not in in_a
    assert all(in_a), in_a
    servers.fake.assert_no_violations()
