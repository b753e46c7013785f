"""What Discord last received of the bot's commands, per application and scope."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, Snowflake, UTCDateTime, utcnow


class CommandSync(Base):
    """A hash of the command payload last synced for one application, globally or to a server."""

    __tablename__ = "command_syncs"

    application_id: Mapped[int] = mapped_column(Snowflake, primary_key=True, autoincrement=False)
    #: the server the commands went to; `core.command_syncs.GLOBAL_SCOPE` for global commands
    scope: Mapped[int] = mapped_column(Snowflake, primary_key=True, autoincrement=False)
    payload_hash: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
