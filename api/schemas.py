"""The shapes of the JSON API's answers, as documented on its OpenAPI page."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from core.content.schema import Difficulty
from core.leaderboards import Period


class _FromDomain(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class AchievementOut(_FromDomain):
    """An unlocked achievement."""

    slug: str
    name: str
    emoji: str
    description: str
    unlocked_at: datetime


class SolvedOut(_FromDomain):
    """A solved task."""

    slug: str
    title: str
    difficulty: Difficulty
    points: int
    solved_at: datetime


class PointsOnDay(BaseModel):
    """Total points at the end of a day."""

    day: date
    points: int


class ProfileOut(BaseModel):
    """A learner's public profile. Their Discord username is not part of it: the site shows it
    to its owner only."""

    display_name: str
    points: int
    rank: int | None = Field(description="Place on the all-time leaderboard; null when unranked")
    current_streak: int
    best_streak: int
    solved_by_difficulty: dict[Difficulty, int]
    solved: list[SolvedOut]
    achievements: list[AchievementOut]
    points_over_time: list[PointsOnDay]
    activity: dict[date, int] = Field(description="Accepted submissions per day, last year")
    member_since: datetime


class LeaderboardEntryOut(_FromDomain):
    """One row of a leaderboard."""

    rank: int
    display_name: str = Field(
        description='The learner\'s display name; "Learner <id>" for one without a public '
        "profile (whose name is not published)"
    )
    value: int = Field(description="Points, or days for the streak leaderboard")


class Paged(BaseModel):
    """Where the next page of a growing list starts; both null on the last page."""

    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page"
    )
    next: str | None = Field(description="The address of the next page; null on the last page")


class LeaderboardOut(Paged):
    """One page of a leaderboard, best first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "period": "all",
                    "entries": [
                        {"rank": 1, "display_name": "ada", "value": 40},
                        {"rank": 2, "display_name": "grace", "value": 30},
                    ],
                    "next_cursor": "30.7",
                    "next": "/api/v1/leaderboard?limit=2&cursor=30.7",
                }
            ]
        }
    )

    period: Period
    entries: list[LeaderboardEntryOut]


class SolvesOut(Paged):
    """One page of a learner's solves of the shared catalogue's tasks, latest first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "display_name": "ada",
                    "solves": [
                        {
                            "slug": "hello-world",
                            "title": "Hello, world",
                            "difficulty": "easy",
                            "points": 10,
                            "solved_at": "2026-11-27T09:30:00Z",
                        }
                    ],
                    "next_cursor": "41",
                    "next": "/api/v1/profiles/ada/solves?limit=1&cursor=41",
                }
            ]
        }
    )

    display_name: str
    solves: list[SolvedOut]


class Failure(BaseModel):
    """Why a request failed (404, 429, 503), in a sentence for people."""

    detail: str = Field(examples=["There is no learner with that name."])


class TaskSummaryOut(_FromDomain):
    """A task in a list."""

    slug: str
    title: str
    difficulty: Difficulty
    points: int
    tags: list[str]
    solve_count: int


class TaskListOut(BaseModel):
    """One page of tasks and how many match in all."""

    total: int
    tasks: list[TaskSummaryOut]


class ExampleOut(_FromDomain):
    """A visible test case."""

    input: str
    output: str


class TaskOut(_FromDomain):
    """A task's statement (Markdown), examples and limits."""

    slug: str
    title: str
    difficulty: Difficulty
    points: int
    tags: list[str]
    statement: str
    template: str
    time_limit_s: float
    memory_mb: int
    examples: list[ExampleOut]
    hidden_tests: int
    solve_count: int
