"""command syncs

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 08:51:27.770575

A hash of the slash-command payload last synced per Discord application and scope (a server, or
0 for global commands), so that a restart syncs only commands that changed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "command_syncs",
        sa.Column(
            "application_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "scope",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("synced_at", core.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("application_id", "scope", name=op.f("pk_command_syncs")),
    )


def downgrade() -> None:
    op.drop_table("command_syncs")
