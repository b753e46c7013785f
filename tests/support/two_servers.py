"""Two servers served by one bot: A and B, a moderator in each and a learner in both.

The real bot runs on the fake Discord with its commands synced globally, as a bot serving many
servers is, so they answer in both servers and in DMs. The database holds the bot tests' content
(tests.support.bot_scene.write_content); `add_task` adds tasks owned by one server.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.app import create_bot
from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.db import session_scope
from core.guilds import guild_settings
from core.models import GLOBAL_CATALOGUE
from tests.fakediscord import (
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeUser,
    InteractionRecord,
    running_bot,
    running_fake,
)
from tests.fakediscord.permissions import MANAGE_GUILD
from tests.support.bot_scene import GRADING_TIMEOUT_S, acknowledged, bot_settings
from tests.support.clocks import Clock
from tests.support.content_factories import task_document
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader


@dataclass(frozen=True)
class Server:
    """One server of the scene: its channels and its moderator (Manage Server)."""

    guild: FakeGuild
    general: FakeChannel
    challenges: FakeChannel
    moderator: FakeMember

    @property
    def id(self) -> int:
        """The server's Discord id (the owner of its tasks)."""
        return self.guild.id


#: where a command runs: a server's general channel, or the learner's DMs with the bot (None)
Where = Server | None


@dataclass
class TwoServers:
    """The real bot serving servers A and B; `learner` is a member of both.

    The bot reads the time from `clock`; a test that moves it puts it back.
    """

    fake: FakeDiscord
    sessions: Sessions
    grader: ScriptedGrader
    clock: Clock
    a: Server
    b: Server
    learner: FakeUser
    names: itertools.count[int] = field(default_factory=itertools.count)

    def member(self, server: Server, prefix: str = "learner") -> FakeMember:
        """A new user who is a member of `server` only."""
        return self.fake.add_member(server.guild, f"{prefix}{next(self.names)}")

    def in_both(self, prefix: str = "both") -> FakeUser:
        """A new user who is a member of A and B."""
        user = self.member(self.a, prefix).user
        self.fake.join_guild(self.b.guild, user)
        return user

    def channel(self, where: Where, user: FakeUser) -> FakeChannel:
        """The server's general channel, or the user's DM channel with the bot."""
        return self.fake.open_dm(user) if where is None else where.general

    async def slash(
        self,
        where: Where,
        user: FakeUser | FakeMember,
        name: str,
        options: dict[str, Any] | None = None,
    ) -> InteractionRecord:
        """Run a slash command as `user` in `where`; check it was acknowledged in time."""
        account = user.user if isinstance(user, FakeMember) else user
        record = await self.fake.send_slash(self.channel(where, account), account, name, options)
        await acknowledged(record)
        return record

    async def reply(
        self,
        where: Where,
        user: FakeUser | FakeMember,
        name: str,
        options: dict[str, Any] | None = None,
    ) -> FakeMessage:
        """The visible reply to a slash command run as `user` in `where`."""
        record = await self.slash(where, user, name, options)
        return await record.wait_for_response(GRADING_TIMEOUT_S)

    async def autocomplete(
        self, where: Where, user: FakeUser | FakeMember, name: str, focused: str, text: str = ""
    ) -> list[str]:
        """The values the bot suggests for option `focused` of `name` while `text` is typed."""
        account = user.user if isinstance(user, FakeMember) else user
        record = await self.fake.send_autocomplete(
            self.channel(where, account), account, name, focused=focused, options={focused: text}
        )
        return [str(choice["value"]) for choice in await record.wait_for_autocomplete()]

    async def submit_file(
        self, where: Where, user: FakeUser | FakeMember, slug: str, code: str
    ) -> FakeMessage:
        """/submit `slug` with `code` attached, run as `user` in `where`; the reply."""
        attachment = self.fake.make_attachment("solution.py", code)
        return await self.reply(where, user, "submit", {"task": slug, "file": attachment})

    async def add_task(self, owner: Server | None, slug: str, **changes: Any) -> None:
        """A published task owned by `owner` (None: the shared catalogue), solved by ECHO_RIGHT.

        Keyword arguments replace fields of tests.support.content_factories.task_document.
        """
        document = TaskFile.model_validate(task_document(slug, **changes))
        owner_id = GLOBAL_CATALOGUE if owner is None else owner.id
        async with session_scope(self.sessions) as session:
            await upsert_tasks(session, [document], validated=True, owner=owner_id)


def _server(fake: FakeDiscord, name: str) -> Server:
    """A server with a general and a challenge channel and a moderator holding Manage Server."""
    guild = fake.create_guild(name)
    general = fake.add_text_channel(guild, "general")
    challenges = fake.add_text_channel(guild, "challenges")
    mods = fake.add_role(guild, "Mods", permissions=MANAGE_GUILD)
    moderator = fake.add_member(guild, f"mod-{name.lower().replace(' ', '-')}", roles=[mods])
    return Server(guild, general, challenges, moderator)


@asynccontextmanager
async def two_servers(sessions: Sessions, grader: ScriptedGrader) -> AsyncIterator[TwoServers]:
    """The real bot on a fake Discord with servers A and B, on `sessions` (content loaded)."""
    async with running_fake() as fake:
        a, b = _server(fake, "Server A"), _server(fake, "Server B")
        learner = fake.add_member(a.guild, "learner-both").user
        fake.join_guild(b.guild, learner)
        async with session_scope(sessions) as session:
            for server in (a, b):
                # points stay exact whichever task the server's daily challenge happens to be
                (await guild_settings(session, server.id)).daily_bonus = 0
        settings = bot_settings(fake, a.guild, discord_guild_ids=[])
        clock = Clock()
        bot = create_bot(settings, sessions, grader, clock=clock, guild_ready_timeout=0.1)
        async with running_bot(fake, bot):
            await fake.wait_for_command_sync()
            yield TwoServers(fake, sessions, grader, clock, a, b, learner)
