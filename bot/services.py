"""What every part of the bot shares: settings, the database, the grader and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import discord
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.command_mentions import CommandMentions
from core.cooldown import Cooldown
from core.counters import Counters
from core.db import session_scope
from core.grading import Grader
from core.learners import learner_for_discord
from core.moderators import catalogue_of
from core.settings import Settings
from core.submissions.service import SubmissionService

#: the same problem of a server is reported to its moderators at most once in this many seconds
REPORT_EVERY_S = 3600.0


@dataclass
class Services:
    """The core services the bot's features call."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    grader: Grader
    submissions: SubmissionService
    #: where the cooldowns count, shared by every bot process when it is Redis
    counters: Counters
    #: between one learner's submissions, keyed by Discord user id
    cooldown: Cooldown
    #: problems reported to each server's moderators lately, keyed "server id:problem"
    reports: Cooldown
    clock: Callable[[], datetime]
    #: commands as `</name:id>` mentions, from the ids stored at the last sync
    mentions: CommandMentions

    def catalogue_of(self, guild_id: int) -> int:
        """The catalogue a server's moderators curate: the shared one in the operator's home
        servers, else the server's own tasks."""
        return catalogue_of(guild_id, self.settings.home_guild_ids)

    async def learner_id(self, user: discord.abc.User, guild_id: int | None) -> int:
        """The learner behind a Discord account (created on first contact)."""
        async with session_scope(self.sessions) as session:
            learner = await learner_for_discord(session, user.id, user.name, guild_id)
            return learner.id
