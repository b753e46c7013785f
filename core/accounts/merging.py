"""Merging a site account into the Discord learner it links to, keeping all their history.

A learner who used the bot before registering on the site has two rows: the Discord one (points,
solves, submissions) and the site one (email and password). Linking makes them one. The Discord row
survives, because the bot may be grading a submission of it at this very moment; the site row's
history moves over and its credentials follow. Where both solved the same task or unlocked the same
achievement, the earlier record is kept and points are not counted twice: neither global points
nor those a server's own tasks earned on that server's boards.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.leaderboards import local_week, solved_points, week_points_of
from core.models import (
    GLOBAL_CATALOGUE,
    GuildMember,
    ModeratorRight,
    Solve,
    Submission,
    Task,
    User,
    UserAchievement,
    utcnow,
)
from core.scores import Score, mirror_on_memberships, store_score


async def _move_solves(session: AsyncSession, donor: User, survivor: User) -> int:
    """Move the donor's solves; drop the later of two solves of one task. Returns the global
    points dropped (those of the shared catalogue's tasks)."""
    rows = (
        await session.execute(
            select(Solve, Task.owner_guild_id)
            .join(Task, Task.id == Solve.task_id)
            .where(Solve.user_id.in_([donor.id, survivor.id]))
        )
    ).all()
    by_task: dict[int, list[Solve]] = {}
    owners: dict[int, int] = {}
    for solve, owner in rows:
        by_task.setdefault(solve.task_id, []).append(solve)
        owners[solve.task_id] = owner
    dropped_points = 0
    for task_id, pair in by_task.items():
        if len(pair) == 2:
            later = max(pair, key=lambda s: (s.solved_at, s.id))
            if owners[task_id] == GLOBAL_CATALOGUE:
                dropped_points += later.points_awarded
            await session.delete(later)
    await session.flush()
    await session.execute(
        update(Solve).where(Solve.user_id == donor.id).values(user_id=survivor.id)
    )
    return dropped_points


async def _move_achievements(session: AsyncSession, donor: User, survivor: User) -> None:
    """Move the donor's unlocks, keeping the earlier unlock of an achievement both have."""
    rows = (
        await session.scalars(
            select(UserAchievement).where(UserAchievement.user_id.in_([donor.id, survivor.id]))
        )
    ).all()
    by_achievement: dict[int, list[UserAchievement]] = {}
    for unlock in rows:
        by_achievement.setdefault(unlock.achievement_id, []).append(unlock)
    for pair in by_achievement.values():
        if len(pair) == 2:
            await session.delete(max(pair, key=lambda u: (u.unlocked_at, u.id)))
    await session.flush()
    await session.execute(
        update(UserAchievement)
        .where(UserAchievement.user_id == donor.id)
        .values(user_id=survivor.id)
    )


async def _move_memberships(session: AsyncSession, donor: User, survivor: User) -> None:
    """Move the donor's server memberships and moderator rights that the survivor does not
    have already (for a server both moderate, the survivor's record stays)."""
    for table in (GuildMember, ModeratorRight):
        shared = select(table.guild_id).where(table.user_id == survivor.id)
        await session.execute(
            delete(table).where(table.user_id == donor.id, table.guild_id.in_(shared))
        )
        await session.execute(
            update(table).where(table.user_id == donor.id).values(user_id=survivor.id)
        )


def _combine_profiles(donor: User, survivor: User) -> None:
    """Keep the streak that is more recent (the longer one on the same day), the best of the
    best streaks, curator rights of either and the earlier join date."""
    survivor.best_streak = max(survivor.best_streak, donor.best_streak)
    donor_key = (donor.last_active_day is not None, donor.last_active_day, donor.current_streak)
    survivor_key = (
        survivor.last_active_day is not None,
        survivor.last_active_day,
        survivor.current_streak,
    )
    if donor.last_active_day is not None and donor_key > survivor_key:
        survivor.current_streak = donor.current_streak
        survivor.last_active_day = donor.last_active_day
        survivor.streak_freezes = donor.streak_freezes
    survivor.is_curator = survivor.is_curator or donor.is_curator
    survivor.former_moderator = survivor.former_moderator or donor.former_moderator
    survivor.created_at = min(survivor.created_at, donor.created_at)


async def _combine_local_scores(session: AsyncSession, survivor: User, now: datetime) -> None:
    """Recount the survivor's points from each server's own tasks from the solves they now
    hold: a moved membership keeps its points, a server both were seen in adds the donor's
    less those of tasks both solved."""
    await session.execute(
        update(GuildMember)
        .where(GuildMember.user_id == survivor.id)
        .values(
            local_points=solved_points(GuildMember.user_id, GuildMember.guild_id), **local_week(now)
        )
    )


async def _combine_scores(
    session: AsyncSession, donor: User, survivor: User, dropped_points: int
) -> None:
    """Add up global points, less those of dropped twin solves; recount this week's and each
    server's own from the solves, then write the survivor's boards."""
    now = utcnow()
    donor_score, survivor_score = _score_of(donor), _score_of(survivor)
    week_start, week_points = await week_points_of(session, survivor.id, now)
    combined = Score(
        survivor_score.points + donor_score.points - dropped_points, week_start, week_points
    )
    await _combine_local_scores(session, survivor, now)
    await store_score(session, donor.id, donor_score, None)
    await store_score(session, survivor.id, survivor_score, combined)
    # the local scores changed even when the global one did not
    await mirror_on_memberships(session, survivor.id, combined)
    # written past the unit of work: read back what the survivor's row now holds
    await session.refresh(survivor, ["points", "week_start", "week_points"])


def _score_of(user: User) -> Score:
    """The score held on a loaded learner."""
    return Score(user.points, user.week_start, user.week_points)


async def merge_account_into_learner(session: AsyncSession, account: User, learner: User) -> User:
    """Make the site `account` and the Discord `learner` one user; returns the surviving row.

    Runs in the caller's transaction (the caller commits): either everything moves or nothing.
    Both rows are locked first so that concurrent solves wait for the merge.
    """
    await session.execute(
        select(User.id).where(User.id.in_([account.id, learner.id])).with_for_update()
    )
    dropped_points = await _move_solves(session, account, learner)
    await _move_achievements(session, account, learner)
    await _move_memberships(session, account, learner)
    await session.execute(
        update(Submission).where(Submission.user_id == account.id).values(user_id=learner.id)
    )
    await session.refresh(account)
    await session.refresh(learner)
    _combine_profiles(account, learner)
    await _combine_scores(session, account, learner, dropped_points)
    email, password_hash, changed_at = (
        account.email,
        account.password_hash,
        account.password_changed_at,
    )
    display_name, public = account.display_name, account.profile_public
    await session.delete(account)
    await session.flush()
    learner.email = email
    learner.password_hash = password_hash
    learner.password_changed_at = changed_at
    # the site account's name and its choice of a public profile (a Discord learner has none)
    learner.display_name = display_name
    learner.profile_public = public
    await session.flush()
    return learner
