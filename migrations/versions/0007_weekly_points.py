"""weekly points on learners and memberships

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 08:30:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from alembic import op

from core.models.base import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("users", "guild_members"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("week_start", sa.Date(), nullable=True))
            batch_op.add_column(
                sa.Column("week_points", sa.Integer(), nullable=False, server_default=sa.text("0"))
            )
    # this week's points so far, from the solves (Monday 00:00 UTC onwards)
    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("week_start", sa.Date),
        sa.column("week_points", sa.Integer),
    )
    solves = sa.table(
        "solves",
        sa.column("user_id", sa.Integer),
        sa.column("points_awarded", sa.Integer),
        sa.column("solved_at", UTCDateTime),
    )
    members = sa.table(
        "guild_members",
        sa.column("user_id", sa.Integer),
        sa.column("week_start", sa.Date),
        sa.column("week_points", sa.Integer),
    )
    op.execute(
        users.update().values(
            week_start=monday,
            week_points=sa.select(sa.func.coalesce(sa.func.sum(solves.c.points_awarded), 0))
            .where(
                solves.c.user_id == users.c.id,
                solves.c.solved_at >= datetime.combine(monday, time(), tzinfo=UTC),
            )
            .scalar_subquery(),
        )
    )
    op.execute(
        members.update().values(
            week_start=monday,
            week_points=sa.select(users.c.week_points)
            .where(users.c.id == members.c.user_id)
            .scalar_subquery(),
        )
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(
            "ix_users_week_start_week_points_desc_id",
            ["week_start", sa.literal_column("week_points DESC"), "id"],
            unique=False,
        )
    with op.batch_alter_table("guild_members", schema=None) as batch_op:
        batch_op.create_index(
            "ix_guild_members_guild_id_week_desc",
            ["guild_id", "week_start", sa.literal_column("week_points DESC"), "user_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("guild_members", schema=None) as batch_op:
        batch_op.drop_index("ix_guild_members_guild_id_week_desc")
        batch_op.drop_column("week_points")
        batch_op.drop_column("week_start")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_week_start_week_points_desc_id")
        batch_op.drop_column("week_points")
        batch_op.drop_column("week_start")
