"""servers' daily difficulty mix

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27 14:45:00.000000

Moderators choose which difficulty each day's challenge has (`/mod daily-mix`). Existing servers
keep NULL: the default mix for beginners.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("daily_mix", sa.JSON().with_variant(mysql.JSON(), "mysql"), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.drop_column("daily_mix")
