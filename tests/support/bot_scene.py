"""An end-to-end scene: the real bot on the fake Discord, a real database and a grader."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import select

from bot.app import create_bot
from bot.client import CodestreakBot
from core.content.files import read_content
from core.content.loader import load_content
from core.db import create_engine, create_sessionmaker, session_scope
from core.grading import Grader
from core.learners import learner_for_discord
from core.models import Submission, Task, utcnow
from core.settings import Settings
from core.submissions.service import Source
from tests.fakediscord import (
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeRole,
    InteractionRecord,
    running_bot,
)
from tests.support.content_factories import achievement_document, task_document, write_json
from tests.support.databases import Sessions
from tests.support.fake_grader import Program

ACK_DEADLINE_S = 3.0
GRADING_TIMEOUT_S = 60.0
CODE_FIELD = "Your Python code"

ECHO_RIGHT = "line = input()\nprint(line)\nprint(line)\n"
ECHO_WRONG = "line = input()\nprint(line)\n"
ECHO_CRASH = "line = input()\nraise ValueError('boom ' + line)\n"
ECHO_THRICE = "line = input()\nprint(line)\nprint(line)\nprint(line)\n"
PRINT_INPUT = "print(input())\n"
SHOUT_RIGHT = "s = input().upper()\nprint(s)\nprint(s)\n"


def _line(stdin: str) -> str:
    """What `input()` returns on `stdin`."""
    return stdin.partition("\n")[0]


def _crash(stdin: str) -> str:
    """What ECHO_CRASH does."""
    raise ValueError(f"boom {_line(stdin)}")


#: what the programs the bot tests submit print, for the scripted grader
PROGRAMS: dict[str, Program] = {
    ECHO_RIGHT: lambda stdin: f"{_line(stdin)}\n" * 2,
    ECHO_WRONG: lambda stdin: f"{_line(stdin)}\n",
    ECHO_CRASH: _crash,
    ECHO_THRICE: lambda stdin: f"{_line(stdin)}\n" * 3,
    PRINT_INPUT: lambda stdin: f"{_line(stdin)}\n",
    SHOUT_RIGHT: lambda stdin: f"{_line(stdin).upper()}\n" * 2,
}


def write_content(folder: Path) -> Path:
    """Tasks and achievements every bot test relies on."""
    data = folder / "data"
    tasks = {
        "echo-twice": task_document("echo-twice", title="Echo twice"),
        "shout-twice": task_document(
            "shout-twice",
            title="Shout twice",
            solution="line = input().upper()\nprint(line)\nprint(line)\n",
            wrong_solutions=[{"code": ECHO_RIGHT, "why": "does not shout"}],
            tests=[
                {"input": "ab\n", "output": "AB\nAB\n", "hidden": False},
                {"input": "xyz\n", "output": "XYZ\nXYZ\n", "hidden": True},
            ],
        ),
        "hard-echo": task_document("hard-echo", title="Hard echo", difficulty="hard"),
        "draft-echo": task_document("draft-echo", title="Draft echo", published=False),
    }
    for slug, document in tasks.items():
        write_json(data / "tasks" / f"{slug}.json", document)
    achievements = {
        "first-solve": achievement_document(
            "first-solve", name="First Solve", condition={"solved": 1}, role="Solver"
        ),
        "hard-hitter": achievement_document(
            "hard-hitter",
            name="Hard Hitter",
            condition={"solved_difficulty": {"hard": 1}},
            role="Hard Hitter",
        ),
        "two-solves": achievement_document(
            "two-solves", name="Two Solves", condition={"solved": 2}, role=None
        ),
    }
    for slug, document in achievements.items():
        write_json(data / "achievements" / f"{slug}.json", document)
    return data


@asynccontextmanager
async def content_database(url: str, folder: Path) -> AsyncIterator[Sessions]:
    """Sessions on `url` with the test content loaded."""
    engine = create_engine(url)
    try:
        sessions = create_sessionmaker(engine)
        async with session_scope(sessions) as session:
            await load_content(session, read_content(write_content(folder)))
        yield sessions
    finally:
        await engine.dispose()


async def pending_submission(sessions: Sessions, slug: str = "echo-twice") -> None:
    """A submission left pending, as by a process that stopped while grading it."""
    async with session_scope(sessions) as session:
        learner = await learner_for_discord(session, 1, "interrupted")
        task = await session.scalar(select(Task).where(Task.slug == slug))
        assert task is not None
        session.add(
            Submission(user_id=learner.id, task_id=task.id, source=Source.DISCORD, code="print(1)")
        )


def bot_settings(fake: FakeDiscord, guild: FakeGuild, **overrides: Any) -> Settings:
    """Settings pointing the bot at the fake, syncing commands to `guild`."""
    values: dict[str, Any] = {
        "discord_token": SecretStr(fake.token),
        "discord_api_base": fake.api_base,
        "discord_gateway_url": fake.gateway_url,
        "discord_guild_ids": [guild.id],
        "submission_cooldown_s": 0.0,
        "secret_key": SecretStr("bot-tests-secret-key-that-is-long-enough-to-sign"),
        "site_url": "http://codestreak.test",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@dataclass
class Scene:
    """Everything an end-to-end bot test touches."""

    fake: FakeDiscord
    guild: FakeGuild
    channel: FakeChannel
    challenges: FakeChannel
    bot: CodestreakBot
    sessions: Sessions
    solver_role: FakeRole
    high_role: FakeRole
    double_role: FakeRole
    moderator: FakeMember
    names: itertools.count[int] = field(default_factory=itertools.count)

    def announcement_of(self, member: FakeMember) -> FakeMessage | None:
        """The first-solve announcement naming `member` in the challenge channel or one of its
        (daily) threads, if any."""
        places = [self.challenges, *self.fake.threads_of(self.challenges)]
        return next(
            (
                message
                for place in places
                for message in self.fake.bot_messages_in(place)
                if f"<@{member.user.id}>" in message.content and "solved" in message.content
            ),
            None,
        )

    async def wait_for_announcement(self, member: FakeMember) -> FakeMessage:
        """The first-solve announcement naming `member` (see `announcement_of`)."""
        return await self.fake.wait_until(
            lambda: self.announcement_of(member), what=f"the announcement of {member.user.username}"
        )

    def learner(self, prefix: str = "learner") -> FakeMember:
        """A new member of the guild with a unique name."""
        return self.fake.add_member(self.guild, f"{prefix}{next(self.names)}")

    async def deny_bot(self, channel: FakeChannel, *, deny: int) -> None:
        """Deny the bot's role the permissions `deny` in `channel` (0: lift the overwrite) and
        wait until the bot has seen the change."""
        updated = asyncio.ensure_future(
            self.bot.wait_for(
                "guild_channel_update", check=lambda _, after: after.id == channel.id, timeout=5
            )
        )
        await asyncio.sleep(0)
        self.fake.set_channel_overwrite(channel, self.fake.bot_top_role(self.guild), deny=deny)
        await updated

    async def slash(
        self, member: FakeMember, name: str, options: dict[str, Any] | None = None
    ) -> InteractionRecord:
        """Run a slash command in the general channel; check it was acknowledged in time."""
        record = await self.fake.send_slash(self.channel, member, name, options)
        await acknowledged(record)
        return record

    async def reply(
        self, member: FakeMember, name: str, options: dict[str, Any] | None = None
    ) -> FakeMessage:
        """The visible reply to a slash command."""
        record = await self.slash(member, name, options)
        return await record.wait_for_response(GRADING_TIMEOUT_S)

    async def submit_modal(self, member: FakeMember, slug: str, code: str) -> FakeMessage:
        """/submit without a file, then the modal with `code`; the verdict message."""
        record = await self.slash(member, "submit", {"task": slug})
        await record.wait_for_modal()
        submitted = await self.fake.submit_modal(record, {CODE_FIELD: code})
        await acknowledged(submitted)
        return await submitted.wait_for_response(GRADING_TIMEOUT_S)

    async def submit_file(
        self, member: FakeMember, slug: str, content: bytes | str, filename: str = "solution.py"
    ) -> FakeMessage:
        """/submit with an attached file; the reply."""
        attachment = self.fake.make_attachment(filename, content)
        return await self.reply(member, "submit", {"task": slug, "file": attachment})


async def acknowledged(record: InteractionRecord) -> int:
    """The record's callback type, asserting it came within Discord's 3 seconds."""
    kind = await record.wait_for_ack(ACK_DEADLINE_S + 1)
    assert record.ack_delay_s is not None
    assert record.ack_delay_s < ACK_DEADLINE_S, f"acknowledged after {record.ack_delay_s:.2f}s"
    return kind


def embed_of(message: FakeMessage) -> dict[str, Any]:
    """The message's only embed."""
    assert len(message.embeds) == 1, message.embeds
    embed: dict[str, Any] = message.embeds[0]
    return embed


def field_value(message: FakeMessage, name: str) -> str:
    """The value of the embed field called `name`."""
    for embed_field in embed_of(message).get("fields", []):
        if embed_field["name"] == name:
            return str(embed_field["value"])
    raise AssertionError(f"no field {name!r} in {embed_of(message)}")


@asynccontextmanager
async def bot_on(
    fake: FakeDiscord,
    guild: FakeGuild,
    sessions: Sessions,
    grader: Grader,
    *,
    clock: Callable[[], datetime] = utcnow,
    **settings: Any,
) -> AsyncIterator[CodestreakBot]:
    """The real bot connected to `fake`, its commands synced to `guild`."""
    bot = create_bot(
        bot_settings(fake, guild, **settings),
        sessions,
        grader,
        clock=clock,
        guild_ready_timeout=0.1,
    )
    async with running_bot(fake, bot):
        await fake.wait_for_command_sync(guild)
        yield bot
