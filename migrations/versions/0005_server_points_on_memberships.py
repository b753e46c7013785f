"""server points on memberships

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 06:34:03.288774
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("guild_members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("points", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    op.execute(
        "UPDATE guild_members SET points = "
        "(SELECT users.points FROM users WHERE users.id = guild_members.user_id)"
    )
    with op.batch_alter_table("guild_members", schema=None) as batch_op:
        batch_op.create_index(
            "ix_guild_members_guild_id_points_desc_user_id",
            ["guild_id", sa.literal_column("points DESC"), "user_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("guild_members", schema=None) as batch_op:
        batch_op.drop_index("ix_guild_members_guild_id_points_desc_user_id")
        batch_op.drop_column("points")
