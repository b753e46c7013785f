"""score counts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 06:43:47.842478
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "score_counts",
        sa.Column("points", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("learners", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("points", name=op.f("pk_score_counts")),
    )
    op.execute(
        "INSERT INTO score_counts (points, learners) "
        "SELECT points, COUNT(*) FROM users WHERE points > 0 GROUP BY points"
    )


def downgrade() -> None:
    op.drop_table("score_counts")
