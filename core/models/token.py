"""Single-use tokens that have been spent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, UTCDateTime, utcnow


class UsedToken(Base):
    """A signed token's id once it was used; a second use is refused by the unique constraint."""

    __tablename__ = "used_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32))
    token_id: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("purpose", "token_id"),
        Index("ix_used_tokens_used_at", "used_at"),
    )
