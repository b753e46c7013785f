"""command ids

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 12:19:45.604604

The ids Discord gave the bot's commands at their last sync, per application and scope, so that
every bot process can write a command as a clickable `</name:id>` mention. Rows synced before
have none (NULL) until the next start reads them from Discord.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("command_syncs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("command_ids", sa.JSON().with_variant(mysql.JSON(), "mysql"), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("command_syncs", schema=None) as batch_op:
        batch_op.drop_column("command_ids")
