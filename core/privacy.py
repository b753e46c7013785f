"""A learner's data: everything stored about them as JSON, and complete deletion."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    GLOBAL_CATALOGUE,
    Achievement,
    GuildMember,
    HintReveal,
    SolutionVote,
    Solve,
    StreakReminder,
    Submission,
    Task,
    User,
    UserAchievement,
    utcnow,
)
from core.scores import read_score, store_score

EXPORT_FORMAT = 1


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


async def export_learner(session: AsyncSession, user_id: int) -> dict[str, Any] | None:
    """Everything stored about a learner, JSON-ready; None for an unknown learner: their
    account (reminder settings included), servers (with the points each server's own tasks
    earned there), submissions (whether each was shared with other learners, and hidden by a
    moderator), solves (a server's own task names its server), the hints revealed per task,
    votes for others' solutions, achievements and the days a streak reminder was sent.

    The password hash is a secret of the account, not data about the person, and is left out.
    """
    user = await session.get(User, user_id)
    if user is None:
        return None
    account = {
        column: _iso(getattr(user, column))
        for column in User.__table__.columns.keys()  # noqa: SIM118 (a column collection)
        if column != "password_hash"
    }
    submissions = (
        await session.execute(
            select(Submission, Task.slug)
            .join(Task, Task.id == Submission.task_id)
            .where(Submission.user_id == user_id)
            .order_by(Submission.id)
        )
    ).all()
    solves = (
        await session.execute(
            select(Solve, Task.slug, Task.owner_guild_id)
            .join(Task, Task.id == Solve.task_id)
            .where(Solve.user_id == user_id)
            .order_by(Solve.id)
        )
    ).all()
    unlocked = (
        await session.execute(
            select(Achievement.slug, UserAchievement.unlocked_at)
            .join(Achievement, Achievement.id == UserAchievement.achievement_id)
            .where(UserAchievement.user_id == user_id)
            .order_by(UserAchievement.unlocked_at)
        )
    ).all()
    votes = await session.scalars(
        select(SolutionVote)
        .where(SolutionVote.user_id == user_id)
        .order_by(SolutionVote.created_at, SolutionVote.submission_id)
    )
    hints = (
        await session.execute(
            select(Task.slug, HintReveal.revealed, HintReveal.last_revealed_at)
            .join(Task, Task.id == HintReveal.task_id)
            .where(HintReveal.user_id == user_id)
            .order_by(HintReveal.last_revealed_at, Task.slug)
        )
    ).all()
    reminded = await session.scalars(
        select(StreakReminder.day)
        .where(StreakReminder.user_id == user_id, StreakReminder.sent_at.is_not(None))
        .order_by(StreakReminder.day)
    )
    servers = (
        await session.execute(
            select(GuildMember.guild_id, GuildMember.local_points)
            .where(GuildMember.user_id == user_id)
            .order_by(GuildMember.guild_id)
        )
    ).all()
    return {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow().isoformat(),
        "account": account,
        "servers": [str(guild) for guild, _ in servers],
        # points earned with each server's own tasks, which count on its boards only
        "server_points": {str(guild): points for guild, points in servers},
        "submissions": [
            {
                "id": s.id,
                "task": slug,
                "source": s.source,
                "server": str(s.guild_id) if s.guild_id else None,
                "verdict": s.verdict,
                "code": s.code,
                "results": s.results,
                "message": s.message,
                "time_ms": s.time_ms,
                "shared": s.shared,
                "share_hidden_at": _iso(s.share_hidden_at),
                "created_at": _iso(s.created_at),
                "finished_at": _iso(s.finished_at),
            }
            for s, slug in submissions
        ],
        "solves": [
            {
                "task": slug,
                "server": None if owner == GLOBAL_CATALOGUE else str(owner),
                "points": s.points_awarded,
                "first_try": s.first_try,
                "daily": s.daily,
                "solved_at": _iso(s.solved_at),
            }
            for s, slug, owner in solves
        ],
        "hints_revealed": [
            {"task": slug, "revealed": revealed, "last_revealed_at": _iso(at)}
            for slug, revealed, at in hints
        ],
        "solution_votes": [
            {"submission": v.submission_id, "kind": v.kind, "voted_at": _iso(v.created_at)}
            for v in votes
        ],
        "achievements": [{"slug": slug, "unlocked_at": _iso(at)} for slug, at in unlocked],
        "reminded_days": [day.isoformat() for day in reminded],
    }


async def delete_learner(session: AsyncSession, user_id: int) -> bool:
    """Delete a learner and everything about them; False when there was nobody to delete."""
    score = await read_score(session, user_id)
    if score is not None:
        await store_score(session, user_id, score, None)
    # submissions, solves, unlocks and memberships go with the row (ON DELETE CASCADE)
    result = await session.execute(delete(User).where(User.id == user_id))
    return bool(getattr(result, "rowcount", 0))
