"""servers own tasks

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 10:44:25.581505

Rights become per server. Every existing task joins the shared catalogue (owner 0); a slug is
unique per owner. A server's members get columns for the points of that server's own tasks. The
site-wide moderator flag is not carried over as a right: accounts that had it are kept as
"former moderators", which the operator lists and confirms as curators
(`codestreak user curator`), so nothing is granted silently. Servers keep a name, a mod-log
channel and who configured them last; a daily post can be skipped.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SNOWFLAKE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
FALSE = sa.false()


def upgrade() -> None:
    op.create_table(
        "moderator_rights",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", SNOWFLAKE, autoincrement=False, nullable=False),
        sa.Column("last_seen_at", core.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_moderator_rights_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "guild_id", name=op.f("pk_moderator_rights")),
    )
    with op.batch_alter_table("moderator_rights", schema=None) as batch_op:
        batch_op.create_index("ix_moderator_rights_guild_id", ["guild_id"], unique=False)

    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("skipped", sa.Boolean(), nullable=False, server_default=FALSE)
        )

    with op.batch_alter_table("guild_members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("local_points", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("local_week_start", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("local_week_points", sa.Integer(), nullable=False, server_default="0")
        )

    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("mod_log_channel_id", SNOWFLAKE, nullable=True))
        batch_op.add_column(sa.Column("configured_by", SNOWFLAKE, nullable=True))

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("owner_guild_id", SNOWFLAKE, nullable=False, server_default="0")
        )
        batch_op.drop_index(batch_op.f("ix_tasks_published_difficulty"))
        batch_op.drop_constraint(batch_op.f("uq_tasks_slug"), type_="unique")
        batch_op.create_index(
            "ix_tasks_owner_published_difficulty",
            ["owner_guild_id", "published", "difficulty"],
            unique=False,
        )
        batch_op.create_unique_constraint("uq_tasks_owner_slug", ["owner_guild_id", "slug"])

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_curator", sa.Boolean(), nullable=False, server_default=FALSE)
        )
        batch_op.alter_column(
            "is_moderator",
            new_column_name="former_moderator",
            existing_type=sa.Boolean(),
            existing_nullable=False,
        )


def downgrade() -> None:
    """Back to one global flag: curators and former moderators are moderators again; tasks of
    servers are dropped, since one catalogue cannot hold two tasks with one slug."""
    op.execute(sa.text("DELETE FROM tasks WHERE owner_guild_id <> 0"))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "former_moderator",
            new_column_name="is_moderator",
            existing_type=sa.Boolean(),
            existing_nullable=False,
        )
    op.execute(sa.text("UPDATE users SET is_moderator = is_moderator OR is_curator"))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("is_curator")

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_constraint("uq_tasks_owner_slug", type_="unique")
        batch_op.drop_index("ix_tasks_owner_published_difficulty")
        batch_op.create_unique_constraint(batch_op.f("uq_tasks_slug"), ["slug"])
        batch_op.create_index(
            batch_op.f("ix_tasks_published_difficulty"), ["published", "difficulty"], unique=False
        )
        batch_op.drop_column("owner_guild_id")

    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.drop_column("configured_by")
        batch_op.drop_column("mod_log_channel_id")
        batch_op.drop_column("name")

    with op.batch_alter_table("guild_members", schema=None) as batch_op:
        batch_op.drop_column("local_week_points")
        batch_op.drop_column("local_week_start")
        batch_op.drop_column("local_points")

    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.drop_column("skipped")

    with op.batch_alter_table("moderator_rights", schema=None) as batch_op:
        batch_op.drop_index("ix_moderator_rights_guild_id")

    op.drop_table("moderator_rights")
