"""The JSON API under /api: profiles, leaderboards and tasks, read-only and public."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.deps import Db
from api.routes.profiles import found_profile
from api.schemas import (
    AchievementOut,
    LeaderboardEntryOut,
    LeaderboardOut,
    PointsOnDay,
    ProfileOut,
    SolvedOut,
    TaskListOut,
    TaskOut,
    TaskSummaryOut,
)
from core.catalog import list_tasks, task_detail
from core.content.schema import Difficulty
from core.leaderboards import Period, top

router = APIRouter(prefix="/api", tags=["codestreak"])


@router.get("/profiles/{name}")
async def profile(db: Db, name: str) -> ProfileOut:
    """A learner's public profile, found by display name (case-insensitive)."""
    found = (await found_profile(db, name, None)).profile
    return ProfileOut(
        display_name=found.display_name,
        discord_name=found.discord_name,
        points=found.points,
        rank=found.rank.rank if found.rank else None,
        current_streak=found.current_streak,
        best_streak=found.best_streak,
        solved_by_difficulty=found.solved_by_difficulty,
        solved=[SolvedOut.model_validate(s) for s in found.solved],
        achievements=[AchievementOut.model_validate(a) for a in found.achievements],
        points_over_time=[PointsOnDay(day=d, points=p) for d, p in found.points_over_time],
        activity=found.activity,
        member_since=found.member_since,
    )


@router.get("/leaderboard")
async def leaderboard(
    db: Db,
    period: Period = Period.ALL,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> LeaderboardOut:
    """The top learners: all-time points, this week's points, or current streaks."""
    entries = await top(db, period, limit=limit)
    return LeaderboardOut(
        period=period,
        entries=[LeaderboardEntryOut.model_validate(e) for e in entries],
    )


@router.get("/tasks")
async def tasks(
    db: Db,
    difficulty: Difficulty | None = None,
    tag: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[str | None, Query(max_length=100, description="Text in title or slug")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> TaskListOut:
    """Published tasks, easiest first, filtered by difficulty, tag and text."""
    found, total = await list_tasks(
        db, difficulty=difficulty, tag=tag, text=q, limit=limit, offset=offset
    )
    return TaskListOut(total=total, tasks=[TaskSummaryOut.model_validate(t) for t in found])


@router.get("/tasks/{slug}")
async def task(db: Db, slug: str) -> TaskOut:
    """One published task: statement in Markdown, visible examples, limits and solve count."""
    detail = await task_detail(db, slug)
    if detail is None:
        raise HTTPException(404, "There is no published task with this slug.")
    return TaskOut.model_validate(detail)
