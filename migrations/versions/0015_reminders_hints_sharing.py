"""reminders, hints, shared solutions, ping role and recaps

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27 13:20:13.921618

Learners' own time zones and streak reminders (sent once per learner and day), hints on tasks
and how many each learner revealed, consent to share an accepted solution, a server's ping
role for the daily post, and the recap posted in a daily thread after its day. Existing rows
get no hints, no reminders (20:00 when turned on), unshared submissions and no recap.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

import core.models.base

FALSE = sa.false()

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hint_reveals",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("revealed", sa.Integer(), nullable=False),
        sa.Column("last_revealed_at", core.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_hint_reveals_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_hint_reveals_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "task_id", name=op.f("pk_hint_reveals")),
    )
    op.create_table(
        "streak_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("claimed_until", core.models.base.UTCDateTime(), nullable=True),
        sa.Column("sent_at", core.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_streak_reminders_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_streak_reminders")),
        sa.UniqueConstraint("user_id", "day", name=op.f("uq_streak_reminders_user_id_day")),
    )
    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recap_claimed_by", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("recap_claimed_until", core.models.base.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("recap_posted_at", core.models.base.UTCDateTime(), nullable=True)
        )

    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "ping_role_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
            )
        )

    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shared", sa.Boolean(), nullable=False, server_default=FALSE))

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hints", sa.JSON().with_variant(mysql.JSON(), "mysql"), nullable=True)
        )
    op.execute(sa.text("UPDATE tasks SET hints = '[]'"))
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.alter_column(
            "hints", existing_type=sa.JSON().with_variant(mysql.JSON(), "mysql"), nullable=False
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("timezone_changed_at", core.models.base.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("reminders", sa.Boolean(), nullable=False, server_default=FALSE)
        )
        batch_op.add_column(
            sa.Column("reminder_time", sa.Time(), nullable=False, server_default="20:00:00")
        )
        batch_op.create_index("ix_users_reminders", ["reminders"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_reminders")
        batch_op.drop_column("reminder_time")
        batch_op.drop_column("reminders")
        batch_op.drop_column("timezone_changed_at")
        batch_op.drop_column("timezone")

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("hints")

    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("shared")

    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.drop_column("ping_role_id")

    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.drop_column("recap_posted_at")
        batch_op.drop_column("recap_claimed_until")
        batch_op.drop_column("recap_claimed_by")

    op.drop_table("streak_reminders")
    op.drop_table("hint_reveals")
