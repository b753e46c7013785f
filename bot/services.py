"""What every part of the bot shares: settings, the database, the grader and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import discord
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cooldown import Cooldown
from core.db import session_scope
from core.grading import Grader
from core.learners import learner_for_discord
from core.settings import Settings
from core.submissions.service import SubmissionService


@dataclass
class Services:
    """The core services the bot's features call."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    grader: Grader
    submissions: SubmissionService
    cooldown: Cooldown
    clock: Callable[[], datetime]

    async def learner_id(self, user: discord.abc.User, guild_id: int | None) -> int:
        """The learner behind a Discord account (created on first contact)."""
        async with session_scope(self.sessions) as session:
            learner = await learner_for_discord(session, user.id, user.name, guild_id)
            return learner.id
