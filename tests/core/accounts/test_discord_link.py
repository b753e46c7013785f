"""Linking Discord accounts, including merging a Discord learner into a site account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts.discord_link import (
    LinkRefused,
    issue_link_token,
    issue_link_url,
    link_discord,
    link_identity,
    unlink_discord,
)
from core.accounts.tokens import TokenRefused
from core.leaderboards import Period, top, week_of
from core.models import (
    Achievement,
    GuildMember,
    Solve,
    Submission,
    User,
    UserAchievement,
    utcnow,
)
from core.settings import Settings
from tests.support.rows import add_solve, add_task, at, on, reload

SECRET = "a-secret-for-link-tests"


def site_account(email: str = "ada@example.com", name: str = "Ada") -> User:
    """A site account as registration creates it."""
    return User(email=email, display_name=name, password_hash="$argon2id$fake", points=0)


def test_the_link_url_points_at_the_site_with_a_readable_token() -> None:
    settings = Settings(secret_key=SECRET, site_url="https://codestreak.example/")
    url = issue_link_url(settings, 1234, "ada#1")
    assert url.startswith("https://codestreak.example/link?token=")


async def test_the_token_names_the_discord_account(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    token = issue_link_token(SECRET, 2**62 + 5, "Ada Lovelace")
    async with sessions() as session:
        identity = await link_identity(session, SECRET, token)
    assert identity.discord_id == 2**62 + 5
    assert identity.discord_name == "Ada Lovelace"


async def test_linking_without_discord_history_attaches_the_id(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        account = site_account()
        session.add(account)
        await session.flush()
        linked = await link_discord(session, SECRET, issue_link_token(SECRET, 42, "ada"), account)
        await session.commit()
    assert linked.id == account.id
    async with sessions() as session:
        stored = await session.get(User, account.id)
        assert stored is not None
        assert (stored.discord_id, stored.discord_name) == (42, "ada")


async def test_a_link_token_works_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    token = issue_link_token(SECRET, 42, "ada")
    async with sessions() as session:
        account = site_account()
        session.add(account)
        await session.flush()
        await link_discord(session, SECRET, token, account)
        await session.commit()
    async with sessions() as session:
        account = await reload(session, account.id)
        with pytest.raises(TokenRefused):
            await link_discord(session, SECRET, token, account)


async def test_a_discord_account_links_to_one_site_account_only(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        first, second = site_account(), site_account("grace@example.com", "Grace")
        session.add_all([first, second])
        await session.flush()
        await link_discord(session, SECRET, issue_link_token(SECRET, 42, "ada"), first)
        await session.commit()
    async with sessions() as session:
        second = await reload(session, second.id)
        with pytest.raises(LinkRefused, match="already linked to another site account"):
            await link_discord(session, SECRET, issue_link_token(SECRET, 42, "ada"), second)


async def test_an_account_links_one_discord_account_until_unlinked(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        account = site_account()
        session.add(account)
        await session.flush()
        await link_discord(session, SECRET, issue_link_token(SECRET, 42, "ada"), account)
        await session.commit()
    async with sessions() as session:
        account = await reload(session, account.id)
        with pytest.raises(LinkRefused, match="Remove it"):
            await link_discord(session, SECRET, issue_link_token(SECRET, 43, "alt"), account)
        account_id = account.id
        await session.rollback()
        account = await reload(session, account_id)
        unlink_discord(account)
        await link_discord(session, SECRET, issue_link_token(SECRET, 43, "alt"), account)
        await session.commit()
        assert account.discord_id == 43


async def test_linking_merges_the_discord_learner_and_keeps_all_history(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        tasks = {t: await add_task(session, t) for t in ("task-a", "task-b", "task-c")}
        badge = Achievement(
            slug="first",
            name="First",
            description="First solve",
            emoji="*",
            condition={"solved": 1},
            role=None,
            content_hash="x",
        )
        learner = User(
            discord_id=777,
            discord_name="ada_discord",
            display_name="ada_discord",
            current_streak=2,
            best_streak=4,
            last_active_day=on(3),
            created_at=at(1, 8),
        )
        account = site_account()
        account.current_streak, account.best_streak, account.last_active_day = 1, 1, on(4)
        account.created_at = at(2, 8)
        session.add_all([badge, learner, account])
        await session.flush()
        await add_solve(session, learner, tasks["task-a"], at(1), 10)
        await add_solve(session, learner, tasks["task-b"], at(3), 20)
        await add_solve(session, account, tasks["task-a"], at(2), 10)
        await add_solve(session, account, tasks["task-c"], at(4), 10)
        session.add_all(
            [
                UserAchievement(user_id=learner.id, achievement_id=badge.id, unlocked_at=at(1)),
                UserAchievement(user_id=account.id, achievement_id=badge.id, unlocked_at=at(2)),
                GuildMember(guild_id=5, user_id=learner.id),
                GuildMember(guild_id=5, user_id=account.id),
                GuildMember(guild_id=6, user_id=account.id),
            ]
        )
        await session.commit()
        learner_id, account_id = learner.id, account.id

    async with sessions() as session:
        account = await reload(session, account_id)
        linked = await link_discord(
            session, SECRET, issue_link_token(SECRET, 777, "ada_discord"), account
        )
        await session.commit()
    assert linked.id == learner_id

    async with sessions() as session:
        assert await session.get(User, account_id) is None
        user = await session.get(User, learner_id)
        assert user is not None
        assert user.email == "ada@example.com"
        assert user.password_hash == "$argon2id$fake"
        assert user.display_name == "Ada"
        assert user.discord_id == 777
        assert user.points == 40  # 10 + 20 + 10; task-a counted once
        assert (user.current_streak, user.last_active_day, user.best_streak) == (1, on(4), 4)
        assert user.created_at == at(1, 8)
        solves = (await session.scalars(select(Solve).where(Solve.user_id == learner_id))).all()
        assert sorted((s.task_id, s.solved_at) for s in solves) == sorted(
            [
                (tasks["task-a"].id, at(1)),
                (tasks["task-b"].id, at(3)),
                (tasks["task-c"].id, at(4)),
            ]
        )
        submissions = await session.scalar(
            select(func.count()).select_from(Submission).where(Submission.user_id == learner_id)
        )
        assert submissions == 4
        unlocks = (
            await session.scalars(
                select(UserAchievement).where(UserAchievement.user_id == learner_id)
            )
        ).all()
        assert [u.unlocked_at for u in unlocks] == [at(1)]
        memberships = await session.execute(
            select(GuildMember.guild_id, GuildMember.points).where(
                GuildMember.user_id == learner_id
            )
        )
        assert sorted(memberships.all()) == [(5, 40), (6, 40)]  # server boards see the total
        assert await session.scalar(select(func.count()).select_from(User)) == 1


async def test_merged_learner_keeps_this_weeks_points_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    async with sessions() as session:
        tasks = {t: await add_task(session, t) for t in ("task-a", "task-b", "task-c")}
        learner = User(discord_id=778, discord_name="bo", display_name="bo")
        account = site_account("bo@example.com", "Bo")
        session.add_all([learner, account])
        await session.flush()
        await add_solve(session, learner, tasks["task-a"], now - timedelta(days=30), 10)
        await add_solve(session, learner, tasks["task-b"], now, 20)
        await add_solve(session, account, tasks["task-b"], now, 20)  # later twin: dropped
        await add_solve(session, account, tasks["task-c"], now, 10)
        session.add(GuildMember(guild_id=5, user_id=learner.id))
        await session.commit()
        learner_id, account_id = learner.id, account.id

    async with sessions() as session:
        account = await reload(session, account_id)
        await link_discord(session, SECRET, issue_link_token(SECRET, 778, "bo"), account)
        await session.commit()

    async with sessions() as session:
        user = await reload(session, learner_id)
        assert (user.week_start, user.week_points) == (week_of(now), 30)
        member = await session.get(GuildMember, (5, learner_id))
        assert member is not None
        assert (member.week_start, member.week_points) == (week_of(now), 30)
        assert [e.value for e in await top(session, Period.WEEK, 5, now=now)] == [30]
