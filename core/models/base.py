"""Declarative base, constraint naming convention and portable column types."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Enum,
    Integer,
    MetaData,
    String,
    TypeDecorator,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Discord snowflakes need 64 bits; SQLite's rowid is already 64-bit.
Snowflake = BigInteger().with_variant(Integer(), "sqlite")

#: JSON documents; MySQL's native JSON type, SQLite's text.
JSONDoc = JSON().with_variant(mysql.JSON(), "mysql")


def exact_string(length: int) -> String:
    """A VARCHAR(`length`) that equals only the very same characters on every backend.

    SQLite compares bytes already; MySQL's and MariaDB's default collations ignore case,
    accents and width ('ádá' = 'ａda' = 'ada'), so there the column uses a binary collation.
    For values the application normalizes itself and looks up by equality (email addresses).
    """
    return String(length).with_variant(
        mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"), "mysql"
    )


def stored_enum(enum: type[StrEnum], length: int) -> Enum:
    """A column type holding `enum`'s members as their values in a VARCHAR(`length`).

    No native ENUM and no CHECK constraint: the schema is that of a plain string column, so
    the stored strings and the migrations stay as they were; unknown values are refused.
    """
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime stored as naive UTC with microseconds on every backend.

    SQLite and MySQL have no time-zone-aware column type; storing naive UTC everywhere keeps
    comparisons and ordering identical across backends.
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        """Use DATETIME(6) on MySQL so microseconds survive."""
        if dialect.name == "mysql":
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes and store UTC without tzinfo."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Give back an aware UTC datetime."""
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
