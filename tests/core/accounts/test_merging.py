"""Merging a site account into a Discord learner keeps each server's own points right."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.accounts.merging import merge_account_into_learner
from core.db import session_scope
from core.leaderboards import Period, top, week_of
from core.learners import remember_member
from core.models import GuildMember, ScoreCount, User, utcnow
from core.submissions.service import Source, SubmissionService
from tests.support.catalogue import GUILD_A, GUILD_B, add_task
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import ACCEPT, make_learner

pytestmark = pytest.mark.usefixtures("content")

#: a third server, where only the site account solved something
GUILD_C = 3000


async def _site_account(sessions: Sessions) -> int:
    async with session_scope(sessions) as session:
        account = User(email="ada@example.com", display_name="Ada", password_hash="$argon2id$x")
        session.add(account)
        await session.flush()
        return account.id


async def _boards(sessions: Sessions, user: int) -> dict[int, tuple[int, int, int]]:
    """Per server: (board points, board week points, points from the server's own tasks)."""
    async with sessions() as session:
        members = await session.scalars(select(GuildMember).where(GuildMember.user_id == user))
        return {m.guild_id: (m.points, m.week_points, m.local_points) for m in members}


async def test_merging_adds_each_servers_own_points_once(sessions: Sessions) -> None:
    clock = Clock()
    clock.now = utcnow()  # the merge recounts the current week
    for slug, owner, difficulty in [
        ("b-shared", GUILD_B, "easy"),  # solved by both: counted once
        ("b-site", GUILD_B, "medium"),  # solved on the site account only
        ("b-discord", GUILD_B, "hard"),  # solved on Discord only
        ("c-site", GUILD_C, "easy"),  # the site account's only server C task
    ]:
        await add_task(sessions, slug, owner, difficulty=difficulty)
    learner = await make_learner(sessions, 777, GUILD_A)
    async with session_scope(sessions) as session:
        await remember_member(session, GUILD_B, learner)
    account = await _site_account(sessions)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    for user, slug, guild in [
        (learner, "easy-one", GUILD_A),
        (learner, "b-shared", GUILD_B),
        (learner, "b-discord", GUILD_B),
        (account, "easy-one", None),
        (account, "hard-one", None),
        (account, "b-shared", GUILD_B),
        (account, "b-site", GUILD_B),
        (account, "c-site", GUILD_C),
    ]:
        source = Source.WEB if user == account else Source.DISCORD
        assert (await service.submit(user, slug, ACCEPT, source, guild)).first_solve
    assert await _boards(sessions, account) == {
        GUILD_B: (80, 80, 30),
        GUILD_C: (60, 60, 10),
    }

    async with session_scope(sessions) as session:
        site = await session.get(User, account)
        discord = await session.get(User, learner)
        assert site is not None
        assert discord is not None
        await merge_account_into_learner(session, site, discord)

    async with sessions() as session:
        merged = await session.get(User, learner)
        assert merged is not None
        assert (merged.points, merged.week_start, merged.week_points) == (
            50,
            week_of(clock.now),
            50,
        )
        counts = await session.execute(
            select(ScoreCount.points, ScoreCount.learners).where(ScoreCount.learners > 0)
        )
        assert counts.all() == [(50, 1)]
        server_b = await top(session, Period.ALL, GUILD_B, now=clock.now)
        assert [(e.user_id, e.value) for e in server_b] == [(learner, 120)]
    assert await _boards(sessions, learner) == {
        GUILD_A: (50, 50, 0),
        GUILD_B: (120, 120, 70),  # 10 + 20 + 40 of B's own tasks
        GUILD_C: (60, 60, 10),  # moved over with its own points
    }


async def test_the_merged_learner_keeps_the_site_accounts_name_and_public_profile(
    sessions: Sessions,
) -> None:
    learner = await make_learner(sessions, 777, GUILD_A)
    account = await _site_account(sessions)
    async with session_scope(sessions) as session:
        site = await session.get(User, account)
        discord = await session.get(User, learner)
        assert site is not None
        assert discord is not None
        site.profile_public = True
        await merge_account_into_learner(session, site, discord)
    async with sessions() as session:
        merged = await session.get(User, learner)
    assert merged is not None
    assert (merged.display_name, merged.profile_public) == ("Ada", True)
