"""What Discord last received of the bot's commands, per application and scope."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, JSONDoc, Snowflake, UTCDateTime, utcnow


class CommandSync(Base):
    """The command payload last synced for one application, globally or to a server: its hash,
    and the ids Discord gave the commands (for `</name:id>` mentions)."""

    __tablename__ = "command_syncs"

    application_id: Mapped[int] = mapped_column(Snowflake, primary_key=True, autoincrement=False)
    #: the server the commands went to; `core.command_syncs.GLOBAL_SCOPE` for global commands
    scope: Mapped[int] = mapped_column(Snowflake, primary_key=True, autoincrement=False)
    payload_hash: Mapped[str] = mapped_column(String(64))
    #: each top-level command's id as Discord answered the sync, by name (None: not known yet)
    command_ids: Mapped[dict[str, int] | None] = mapped_column(JSONDoc)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
