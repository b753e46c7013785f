"""scrub hidden tests' data from stored submissions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 09:00:00.000000

A hidden test's stored result keeps only what a learner may see: its index, the hidden flag,
whether it passed, its verdict and its time. Its input, expected output, the program's output
and its errors are removed. A submission whose message came from a failing hidden test (its
traceback or stderr, which may echo the test's input) gets the kind of failure instead.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from core.models.base import JSONDoc

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH_SIZE = 500
HIDDEN_KEPT = ("index", "passed", "hidden", "verdict", "time_ms")
#: what a failure on a hidden test is called, as of this revision
FAILURES = {
    "runtime_error": "runtime error",
    "time_limit": "time limit exceeded",
    "memory_limit": "memory limit exceeded",
    "output_limit": "output limit exceeded",
}

submissions = sa.table(
    "submissions",
    sa.column("id", sa.Integer),
    sa.column("results", JSONDoc),
    sa.column("message", sa.Text),
)


def _scrubbed(result: Any) -> Any:
    """A stored test result without a hidden test's data; anything else unchanged."""
    if isinstance(result, dict) and result.get("hidden"):
        return {key: result[key] for key in HIDDEN_KEPT if key in result}
    return result


def _message(results: list[Any], message: str | None) -> str | None:
    """The message, or the kind of failure when it came from the first failing, hidden test."""
    if message is None:
        return None
    for result in results:
        if not isinstance(result, dict):
            return message
        verdict = result.get("verdict")
        if verdict is None or verdict == "accepted":
            continue
        if not result.get("hidden"):
            return message
        return f"{FAILURES.get(verdict, str(verdict).replace('_', ' '))} on a hidden test"
    return message


def upgrade() -> None:
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(submissions.c.id, submissions.c.results, submissions.c.message)
            .where(submissions.c.id > last_id)
            .order_by(submissions.c.id)
            .limit(BATCH_SIZE)
        ).all()
        if not rows:
            break
        for submission_id, results, message in rows:
            if not isinstance(results, list):
                continue
            scrubbed = [_scrubbed(result) for result in results]
            new_message = _message(scrubbed, message)
            if scrubbed != results or new_message != message:
                connection.execute(
                    submissions.update()
                    .where(submissions.c.id == submission_id)
                    .values(results=scrubbed, message=new_message)
                )
        last_id = rows[-1].id


def downgrade() -> None:
    """Nothing to undo: the scrubbed data is gone and cannot come back."""
