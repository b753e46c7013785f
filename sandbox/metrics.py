"""The Prometheus gauge of a process's sandbox pool, in the process's default registry.

Here rather than with the application's metrics because both the grading processes of the
application and the queue's graders report it, and the sandbox is the one layer below both.
"""

from __future__ import annotations

from prometheus_client import Gauge

from sandbox.pool import SandboxPool

READY_CONTAINERS = Gauge(
    "codestreak_sandbox_ready_containers",
    "Sandbox containers started and waiting for a submission in this process's pool.",
)


def watch_pool(pool: SandboxPool) -> None:
    """Report `pool`'s ready containers as the gauge at each scrape (this process's pool)."""
    READY_CONTAINERS.set_function(lambda: pool.ready_count)
