"""Prometheus metrics of the grading queue, in the process's default registry.

The process that enqueues (bot, website) sees the queue's depth when it checks it against the
limit; the grader sees how long each job waited before it took it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import Gauge, Histogram

#: seconds; a job waits from nothing (an idle grader) up to the queue's expiry
WAIT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)

QUEUE_DEPTH = Gauge(
    "codestreak_queue_depth", "Gradings waiting in the queue when this process last looked."
)
QUEUE_WAIT_SECONDS = Histogram(
    "codestreak_queue_wait_seconds",
    "Time a grading waited in the queue before a grader took it.",
    buckets=WAIT_BUCKETS,
)


def observe_wait(enqueued_at: datetime, now: datetime | None = None) -> None:
    """Record how long a job enqueued at `enqueued_at` (aware) waited until `now` (default:
    the current time); a negative wait from clock skew between hosts counts as none."""
    taken = now if now is not None else datetime.now(UTC)
    QUEUE_WAIT_SECONDS.observe(max(0.0, (taken - enqueued_at).total_seconds()))
