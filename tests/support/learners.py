"""Learners for tests of the submission flow: one seen in a server, and solves through the flow."""

from __future__ import annotations

from core.db import session_scope
from core.learners import learner_for_discord
from core.submissions.service import Source, SubmissionService
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader

GUILD = 1000
ACCEPT = "# accept\n"


async def make_learner(sessions: Sessions, discord_id: int, guild_id: int | None = GUILD) -> int:
    """Create a Discord learner seen in a server; return the user id."""
    async with session_scope(sessions) as session:
        user = await learner_for_discord(session, discord_id, f"learner{discord_id}", guild_id)
        return user.id


async def solve(
    sessions: Sessions, clock: Clock, user: int, slug: str, guild: int | None = GUILD
) -> None:
    """The learner solves the task on Discord, graded by the scripted grader."""
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    assert (await service.submit(user, slug, ACCEPT, Source.DISCORD, guild)).accepted
