"""Submissions (the ledger of every attempt) and solves (first accepted submission per task)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, JSONDoc, Snowflake, UTCDateTime, stored_enum, utcnow
from core.models.task import LongText
from core.verdicts import SubmissionVerdict


class Submission(Base):
    """One attempt at a task. Recorded as pending before grading, completed afterwards."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    task_version: Mapped[int] = mapped_column(Integer, default=1)
    guild_id: Mapped[int | None] = mapped_column(Snowflake)
    source: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(LongText)
    verdict: Mapped[SubmissionVerdict] = mapped_column(
        stored_enum(SubmissionVerdict, 20), default=SubmissionVerdict.PENDING
    )
    results: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONDoc)
    message: Mapped[str | None] = mapped_column(LongText)
    time_ms: Mapped[int | None] = mapped_column(Integer)
    #: the author agreed, when submitting, that other learners may see this code once accepted
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    #: a moderator withdrew the shared solution from other learners' view (and who did)
    share_hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    share_hidden_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_submissions_user_id_created_at", "user_id", "created_at"),
        Index("ix_submissions_task_id_verdict", "task_id", "verdict"),
        Index("ix_submissions_verdict_created_at", "verdict", "created_at"),
        # a task's shared solutions, for the learners who solved it
        Index("ix_submissions_task_id_shared", "task_id", "shared"),
    )


class Solve(Base):
    """A learner's first accepted submission of a task: the record that points were awarded."""

    __tablename__ = "solves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL")
    )
    points_awarded: Mapped[int] = mapped_column(Integer)
    first_try: Mapped[bool] = mapped_column(Boolean, default=False)
    daily: Mapped[bool] = mapped_column(Boolean, default=False)
    solved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "task_id"),
        # covers the weekly leaderboard: this week's solves, summed per learner
        Index("ix_solves_solved_at_user_id_points", "solved_at", "user_id", "points_awarded"),
        Index("ix_solves_task_id", "task_id"),
    )


class VoteKind(StrEnum):
    """What a learner may say of another's shared solution; one vote of each kind per learner."""

    CLEVER = "clever"
    BEST_PRACTICE = "best_practice"

    @property
    def label(self) -> str:
        """The vote as learners read it."""
        return "Clever" if self is VoteKind.CLEVER else "Best practice"


class SolutionVote(Base):
    """One learner's vote of one kind for a shared, accepted solution."""

    __tablename__ = "solution_votes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[VoteKind] = mapped_column(stored_enum(VoteKind, 20), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_solution_votes_submission_id_kind", "submission_id", "kind"),)
