"""The metrics endpoint of `bot` and `grader`: served on METRICS_PORT while the process runs."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import pytest

from cli.composition import StartupFailed
from cli.metrics import metrics_served
from core.settings import Settings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _settings(**values: object) -> Settings:
    return Settings.model_validate({"secret_key": "s" * 40, **values})


def _scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        return str(answer.read().decode())


def test_metrics_are_served_on_loopback_while_inside_and_not_after() -> None:
    port = _free_port()
    with metrics_served(_settings(metrics_port=port)) as served:
        assert served == port
        assert "# HELP codestreak_submissions_total" in _scrape(port)
    with pytest.raises(urllib.error.URLError):
        _scrape(port)


def test_nothing_is_served_without_a_port() -> None:
    with metrics_served(_settings()) as served:
        assert served is None


def test_a_taken_port_is_a_clear_start_up_failure() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with (
            pytest.raises(StartupFailed, match=f"Cannot serve metrics on 127.0.0.1:{port}"),
            metrics_served(_settings(metrics_port=port)),
        ):
            pass
