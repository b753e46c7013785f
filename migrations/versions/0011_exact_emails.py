"""exact emails

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 12:00:00.000000

On MySQL and MariaDB, users.email takes a binary collation: the database's default one ignores
accents, width and case, so a look-alike ('ádá@example.com') found the account of
'ada@example.com' while the site counted its login attempts apart. The application stores
addresses normalized (trimmed, lower case), so no two stored addresses collide. SQLite already
compares exactly.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "mysql":
        return
    op.alter_column(
        "users",
        "email",
        existing_type=sa.String(length=254),
        type_=mysql.VARCHAR(length=254, charset="utf8mb4", collation="utf8mb4_bin"),
        existing_nullable=True,
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "mysql":
        return
    op.alter_column(
        "users",
        "email",
        existing_type=mysql.VARCHAR(length=254, charset="utf8mb4", collation="utf8mb4_bin"),
        type_=sa.String(length=254),
        existing_nullable=True,
    )
