"""Per-server configuration, the members seen in each server and the daily posts made there."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, JSONDoc, Snowflake, UTCDateTime, utcnow
from core.timezones import DEFAULT_ZONE

#: points added to a first solve of the server's daily challenge, unless moderators set another
DEFAULT_DAILY_BONUS = 5


class GuildSettings(Base):
    """What moderators configured for one Discord server."""

    __tablename__ = "guild_settings"

    guild_id: Mapped[int] = mapped_column(Snowflake, primary_key=True, autoincrement=False)
    #: the server's name as last seen, for pages that list servers
    name: Mapped[str | None] = mapped_column(String(100))
    challenge_channel_id: Mapped[int | None] = mapped_column(Snowflake)
    post_time: Mapped[time] = mapped_column(Time, default=time(9, 0))
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_ZONE)
    moderator_role_id: Mapped[int | None] = mapped_column(Snowflake)
    achievement_roles: Mapped[dict[str, int]] = mapped_column(JSONDoc, default=dict)
    announce_solves: Mapped[bool] = mapped_column(Boolean, default=True)
    daily_bonus: Mapped[int] = mapped_column(Integer, default=DEFAULT_DAILY_BONUS)
    #: where problems the bot meets (a daily post or a role grant that failed) are reported
    mod_log_channel_id: Mapped[int | None] = mapped_column(Snowflake)
    #: the Discord account that last changed the settings: told by DM when no channel works
    configured_by: Mapped[int | None] = mapped_column(Snowflake)
    #: the role learners give themselves (a button on the daily post) to be pinged by it
    ping_role_id: Mapped[int | None] = mapped_column(Snowflake)
    #: the difficulty of each day's challenge (see `core.daily_mix`); None: the default mix
    daily_mix: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class GuildMember(Base):
    """A learner seen in a server; server leaderboards rank these.

    `points`, `week_start` and `week_points` are the learner's global score plus what they
    earned with this server's own tasks (`local_*`), kept in step by `core.scores`, so that a
    server's boards are one index range instead of a sort of every member.
    """

    __tablename__ = "guild_members"

    guild_id: Mapped[int] = mapped_column(Snowflake, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    points: Mapped[int] = mapped_column(Integer, default=0)
    week_start: Mapped[date | None] = mapped_column(Date)
    week_points: Mapped[int] = mapped_column(Integer, default=0)
    #: points from this server's own tasks: they count on this server's boards only
    local_points: Mapped[int] = mapped_column(Integer, default=0)
    local_week_start: Mapped[date | None] = mapped_column(Date)
    local_week_points: Mapped[int] = mapped_column(Integer, default=0)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_guild_members_user_id", "user_id"),
        Index("ix_guild_members_guild_id_points_desc_user_id", "guild_id", points.desc(), user_id),
        Index(
            "ix_guild_members_guild_id_week_desc",
            "guild_id",
            week_start,
            week_points.desc(),
            user_id,
        ),
    )


class DailyPost(Base):
    """The daily challenge chosen for one server on one date, and its message once posted.

    Moderators may choose the task ahead of time, or skip a day: a skipped day has no post.
    A bot process claims the post before sending it (`claimed_by` until `claimed_until`), so
    that of several processes holding the server exactly one posts.
    """

    __tablename__ = "daily_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(Snowflake)
    day: Mapped[date] = mapped_column(Date)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(Snowflake)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the bot process posting it now (see `core.daily.claim_daily`), and until when it may
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the recap after the day (reference and shared solutions, in the day's thread, whose id
    #: is the post's message id): claimed and recorded like the post itself
    recap_claimed_by: Mapped[str | None] = mapped_column(String(100))
    recap_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recap_posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("guild_id", "day"),)
