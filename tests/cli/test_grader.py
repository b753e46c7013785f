"""`codestreak grader`: clear refusals, a pool name per host, and no secrets needed."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest

from cli.grader import GraderSettings, grader_sandbox, host_pool_name
from grading_queue.fleet import start_grader
from tests.support.cli_runner import CODESTREAK, codestreak
from tests.support.graders import GRADER_ENVIRONMENT, stop
from tests.support.redis import free_port, own_server


def _assert_clean_failure(output: str, tmp_path: Path) -> None:
    assert "Traceback" not in output
    assert not (tmp_path / "var").exists()  # no key file, no database


def test_without_redis_url_it_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    result = codestreak("grader", cwd=tmp_path, env={"ENVIRONMENT": "production"})
    assert result.returncode == 2, result.stderr
    assert "REDIS_URL is not set" in result.stderr
    _assert_clean_failure(result.stdout + result.stderr, tmp_path)


def test_unreachable_redis_exits_1(tmp_path: Path) -> None:
    env = {"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0", "ENVIRONMENT": "production"}
    result = codestreak("grader", cwd=tmp_path, env=env)
    assert result.returncode == 1, result.stderr
    assert "cannot reach Redis at REDIS_URL" in result.stderr
    _assert_clean_failure(result.stdout + result.stderr, tmp_path)


def test_unreachable_docker_exits_1(tmp_path: Path, redis_url: str) -> None:
    env = {
        "REDIS_URL": redis_url,
        "ENVIRONMENT": "production",
        "SANDBOX_DOCKER_URL": f"unix://{tmp_path}/no-docker.sock",
    }
    result = codestreak("grader", cwd=tmp_path, env=env)
    assert result.returncode == 1, result.stderr
    assert "sandbox cannot start" in result.stderr
    assert "cannot reach the Docker engine" in result.stderr
    _assert_clean_failure(result.stdout + result.stderr, tmp_path)


def test_losing_redis_stops_the_grader_clearly(tmp_path: Path, sandbox_image: str) -> None:
    with own_server(tmp_path) as (url, server):
        environment = {**GRADER_ENVIRONMENT, "REDIS_URL": url, "SANDBOX_IMAGE": sandbox_image}
        grader = start_grader([CODESTREAK, "grader"], tmp_path, "lost-redis", environment)
        try:
            server.send_signal(signal.SIGKILL)
            assert grader.wait(30) == 1
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the grader went on without Redis:\n{grader.output()}") from None
        finally:
            stop(grader)
    assert "lost Redis" in grader.output()
    assert "Traceback" not in grader.output()


def test_an_invalid_concurrency_is_refused(tmp_path: Path) -> None:
    result = codestreak("grader", "--concurrency", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("hostname", "name"),
    [
        ("worker-3", "grader-worker-3"),
        ("box.example.org", "grader-box.example.org"),
        ("weird host/with:chars", "grader-weird-host-with-chars"),
        ("h" * 60, "grader-" + "h" * 33),
    ],
)
def test_the_pool_is_named_after_the_host(hostname: str, name: str) -> None:
    assert host_pool_name(hostname) == name


def test_an_explicit_pool_name_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    assert grader_sandbox(GraderSettings()).pool_name == host_pool_name()
    monkeypatch.setenv("SANDBOX_POOL_NAME", "graders-a")
    assert grader_sandbox(GraderSettings()).pool_name == "graders-a"


def test_production_needs_no_secret_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "key"))
    assert GraderSettings().secret_key.get_secret_value() == ""
    assert not (tmp_path / "key").exists()
