"""Database models. Importing this package registers every table on `Base.metadata`."""

from core.models.achievement import Achievement, UserAchievement
from core.models.base import Base, utcnow
from core.models.command_sync import CommandSync
from core.models.guild import DailyPost, GuildMember, GuildSettings
from core.models.submission import SolutionVote, Solve, Submission, VoteKind
from core.models.task import GLOBAL_CATALOGUE, Task, TaskTag, TaskVersion, TestCase
from core.models.token import UsedToken
from core.models.user import HintReveal, ModeratorRight, ScoreCount, StreakReminder, User

__all__ = [
    "GLOBAL_CATALOGUE",
    "Achievement",
    "Base",
    "CommandSync",
    "DailyPost",
    "GuildMember",
    "GuildSettings",
    "HintReveal",
    "ModeratorRight",
    "ScoreCount",
    "SolutionVote",
    "Solve",
    "StreakReminder",
    "Submission",
    "Task",
    "TaskTag",
    "TaskVersion",
    "TestCase",
    "UsedToken",
    "User",
    "UserAchievement",
    "VoteKind",
    "utcnow",
]
