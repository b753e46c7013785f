"""public profiles and shared solutions' votes

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27 13:48:03.449683

Profiles become opt-in: site accounts keep their public page, learners known only from Discord
have none until they opt in. Shared solutions can be hidden by moderators and receive one vote
of each kind per learner.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "solution_votes",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("clever", "best_practice", name="votekind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", core.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_solution_votes_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_solution_votes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "submission_id", "kind", name=op.f("pk_solution_votes")),
    )
    with op.batch_alter_table("solution_votes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_solution_votes_submission_id_kind", ["submission_id", "kind"], unique=False
        )

    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("share_hidden_at", core.models.base.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("share_hidden_by", sa.Integer(), nullable=True))
        batch_op.create_index("ix_submissions_task_id_shared", ["task_id", "shared"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_submissions_share_hidden_by_users"),
            "users",
            ["share_hidden_by"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("profile_public", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # site accounts had public profiles and keep them; learners known only from Discord get
    # none until they sign in and opt in
    op.execute(sa.text("UPDATE users SET profile_public = email IS NOT NULL"))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("profile_public")

    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_submissions_share_hidden_by_users"), type_="foreignkey"
        )
        batch_op.drop_index("ix_submissions_task_id_shared")
        batch_op.drop_column("share_hidden_by")
        batch_op.drop_column("share_hidden_at")

    op.drop_table("solution_votes")  # its index goes with it
