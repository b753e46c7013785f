"""Tasks, their tags and their test cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.content.schema import Difficulty
from core.models.base import Base, JSONDoc, Snowflake, UTCDateTime, stored_enum, utcnow
from sandbox import CompareMode

#: Statements, code and test data can be large; MEDIUMTEXT holds 16 MiB on MySQL.
LongText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql")

#: the owner of the shared catalogue's tasks; Discord never gives a server the id 0
GLOBAL_CATALOGUE = 0


class Task(Base):
    """A programming task as learners see it, with its reference material."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64))
    #: the server whose moderators own the task, or GLOBAL_CATALOGUE for the shared catalogue
    owner_guild_id: Mapped[int] = mapped_column(Snowflake, default=GLOBAL_CATALOGUE)
    title: Mapped[str] = mapped_column(String(120))
    difficulty: Mapped[Difficulty] = mapped_column(stored_enum(Difficulty, 10))
    points: Mapped[int] = mapped_column(Integer)
    statement: Mapped[str] = mapped_column(LongText)
    template: Mapped[str] = mapped_column(LongText)
    solution: Mapped[str] = mapped_column(LongText)
    wrong_solutions: Mapped[list[dict[str, Any]]] = mapped_column(JSONDoc)
    #: ordered hints; a learner reveals them one at a time, each costing a share of the points
    hints: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    time_limit_s: Mapped[float] = mapped_column(Float)
    memory_mb: Mapped[int] = mapped_column(Integer)
    compare_mode: Mapped[CompareMode] = mapped_column(stored_enum(CompareMode, 10))
    compare_tolerance: Mapped[float | None] = mapped_column(Float)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    validated_version: Mapped[int | None] = mapped_column(Integer)
    first_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    tags: Mapped[list[TaskTag]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskTag.tag"
    )
    tests: Mapped[list[TestCase]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TestCase.position"
    )

    __table_args__ = (
        # a slug names one task per owner; a server's task never takes a global task's slug
        UniqueConstraint("owner_guild_id", "slug", name="uq_tasks_owner_slug"),
        Index("ix_tasks_owner_published_difficulty", "owner_guild_id", "published", "difficulty"),
    )

    @property
    def is_global(self) -> bool:
        """Whether the task belongs to the shared catalogue (not to one server)."""
        return self.owner_guild_id == GLOBAL_CATALOGUE

    @property
    def tag_names(self) -> list[str]:
        """The task's tags as plain strings."""
        return [t.tag for t in self.tags]


class TaskVersion(Base):
    """A saved version of a task: the whole task document as it was, never changed afterwards.

    Submissions name the version they were graded against, so editing tests never rewrites
    history.
    """

    __tablename__ = "task_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    saved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("task_id", "version"),)


class TaskTag(Base):
    """One tag of a task; a table of its own so that filtering by tag uses an index."""

    __tablename__ = "task_tags"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)

    task: Mapped[Task] = relationship(back_populates="tags")


class TestCase(Base):
    """One stdin/stdout test of a task; hidden tests are shown to learners only as pass/fail."""

    __tablename__ = "test_cases"
    __test__ = False  # not a pytest class

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    input: Mapped[str] = mapped_column(LongText)
    output: Mapped[str] = mapped_column(LongText)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)

    task: Mapped[Task] = relationship(back_populates="tests")

    __table_args__ = (UniqueConstraint("task_id", "position"),)
