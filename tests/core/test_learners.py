"""The zone a learner's days are counted in: their own, else their first server's, else UTC."""

from __future__ import annotations

from core.db import session_scope
from core.learners import learner_zone
from core.models import GuildSettings, User
from tests.support.databases import Sessions
from tests.support.learners import GUILD, make_learner


async def test_a_learners_own_zone_comes_before_their_first_servers(sessions: Sessions) -> None:
    nowhere = await make_learner(sessions, 1, guild_id=None)
    member = await make_learner(sessions, 2)
    async with session_scope(sessions) as session:
        session.add(GuildSettings(guild_id=GUILD, timezone="Europe/Berlin"))
    async with sessions() as session:
        assert await learner_zone(session, nowhere) == "UTC"
        assert await learner_zone(session, member) == "Europe/Berlin"
    async with session_scope(sessions) as session:
        for user_id in (nowhere, member):
            learner = await session.get(User, user_id)
            assert learner is not None
            learner.timezone = "Asia/Tokyo"
    async with sessions() as session:
        assert await learner_zone(session, nowhere) == "Asia/Tokyo"
        assert await learner_zone(session, member) == "Asia/Tokyo"


async def test_where_the_learner_acts_comes_before_their_first_server(sessions: Sessions) -> None:
    member = await make_learner(sessions, 1)
    async with session_scope(sessions) as session:
        session.add(GuildSettings(guild_id=GUILD, timezone="Europe/Berlin"))
        session.add(GuildSettings(guild_id=GUILD + 1, timezone="America/Chicago"))
    async with sessions() as session:
        assert await learner_zone(session, member, GUILD + 1) == "America/Chicago"
        # a server nobody configured counts in UTC, like the award does
        assert await learner_zone(session, member, GUILD + 2) == "UTC"
    async with session_scope(sessions) as session:
        learner = await session.get(User, member)
        assert learner is not None
        learner.timezone = "Asia/Tokyo"
    async with sessions() as session:
        assert await learner_zone(session, member, GUILD + 1) == "Asia/Tokyo"
