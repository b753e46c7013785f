"""The Prometheus endpoint of the processes without a website (`bot`, `grader`).

A small HTTP server on a thread of its own serves the process's default registry on
METRICS_HOST:METRICS_PORT (loopback by default) while the process runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import start_http_server

from cli.composition import StartupFailed
from core.settings import Settings


@contextmanager
def metrics_served(settings: Settings) -> Iterator[int | None]:
    """Serve the metrics while inside when METRICS_PORT is set; yields the port (or None).

    Raises `StartupFailed` when the address cannot be listened on (taken, or not this host's).
    """
    port = settings.metrics_port
    if port is None:
        yield None
        return
    try:
        server, thread = start_http_server(port, addr=settings.metrics_host)
    except OSError as error:
        raise StartupFailed(
            f"Cannot serve metrics on {settings.metrics_host}:{port}: {error.strerror or error}.",
            "Choose a free METRICS_PORT (and a METRICS_HOST of this machine), or unset it.",
        ) from error
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
