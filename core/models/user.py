"""Learners: a Discord identity, an optional site account, and their running totals."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, Snowflake, UTCDateTime, exact_string, utcnow


class User(Base):
    """A learner. Created on first contact from Discord or on registration on the site."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    discord_id: Mapped[int | None] = mapped_column(Snowflake, unique=True)
    discord_name: Mapped[str | None] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(64))
    #: normalized by the application and compared exactly: a look-alike is another address
    email: Mapped[str | None] = mapped_column(exact_string(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: site sessions carry the generation they began in; moving it on ends every one of them
    session_generation: Mapped[int] = mapped_column(Integer, default=0)
    #: appointed by the operator: may change the shared catalogue from the site
    is_curator: Mapped[bool] = mapped_column(Boolean, default=False)
    #: had site-wide moderator rights before rights became per server; becomes a curator only
    #: when the operator confirms (`codestreak user curator`), and is never a right by itself
    former_moderator: Mapped[bool] = mapped_column(Boolean, default=False)
    points: Mapped[int] = mapped_column(Integer, default=0)
    current_streak: Mapped[int] = mapped_column(Integer, default=0)
    best_streak: Mapped[int] = mapped_column(Integer, default=0)
    last_active_day: Mapped[date | None] = mapped_column(Date)
    streak_freezes: Mapped[int] = mapped_column(Integer, default=0)
    #: points earned in the week starting on `week_start` (a Monday, UTC), kept in step with
    #: the solves by every award, so that weekly boards read an index instead of the ledger
    week_start: Mapped[date | None] = mapped_column(Date)
    week_points: Mapped[int] = mapped_column(Integer, default=0)
    #: the learner's own IANA time zone: decides their streak days and reminder times; None
    #: keeps the zone of their server (see `core.submissions.award.lock_learner`)
    timezone: Mapped[str | None] = mapped_column(String(64))
    #: when the learner last changed it: changes are rationed so that hopping between zones
    #: cannot manufacture streak days
    timezone_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: opted in to a streak reminder, sent at `reminder_time` in the learner's zone
    reminders: Mapped[bool] = mapped_column(Boolean, default=False)
    reminder_time: Mapped[time] = mapped_column(Time, default=time(20, 0))
    #: the learner chose to show a public profile page (and badge); a learner known only from
    #: Discord has none until they sign in on the site and opt in
    profile_public: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        # the reminder scheduler reads the opted-in learners only
        Index("ix_users_reminders", "reminders"),
        # leaderboards read these in order: most points (or longest streak) first, then oldest
        Index("ix_users_points_desc_id", points.desc(), id),
        Index("ix_users_current_streak_desc_id", current_streak.desc(), id),
        Index("ix_users_week_start_week_points_desc_id", week_start, week_points.desc(), id),
        Index("ix_users_display_name", "display_name"),
    )


class ModeratorRight(Base):
    """A Discord account seen moderating one server: Manage Server or the server's moderator
    role, checked when it last used a moderator command.

    Rights are per server and fade: the site honours one only while `last_seen_at` is recent.
    """

    __tablename__ = "moderator_rights"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    guild_id: Mapped[int] = mapped_column(Snowflake, primary_key=True, autoincrement=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_moderator_rights_guild_id", "guild_id"),)


class ScoreCount(Base):
    """How many learners have exactly `points` points (those with none are not counted).

    Kept in step with `users.points` by `core.scores.store_score`, so that a learner's
    all-time rank is a sum over a few hundred rows instead of a count over every learner ahead.
    """

    __tablename__ = "score_counts"

    points: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    learners: Mapped[int] = mapped_column(Integer, default=0)


class StreakReminder(Base):
    """The streak reminder of one learner on one of their days: claimed by a bot process
    (`claimed_by` until `claimed_until`) before it is sent, like a daily post, so that it goes
    out once however many processes run or restart; `sent_at` once delivered."""

    __tablename__ = "streak_reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("user_id", "day"),)


class HintReveal(Base):
    """How many of a task's hints a learner revealed; each costs a share of the task's points
    (see `core.hints`). Never decreases."""

    __tablename__ = "hint_reveals"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    revealed: Mapped[int] = mapped_column(Integer, default=0)
    last_revealed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
