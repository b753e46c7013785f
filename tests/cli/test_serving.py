"""Serving the site (`codestreak run` and `codestreak web`): the secret key and proxy headers."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from api import rate_limits
from core.settings import PLACEHOLDER_SECRET
from tests.support.cli_runner import CODESTREAK, codestreak

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]*)"')


@pytest.mark.parametrize("command", ["run", "web"])
@pytest.mark.parametrize("key", [PLACEHOLDER_SECRET, "short-key"])
def test_a_public_address_is_refused_with_a_weak_key(
    command: str, key: str, tmp_path: Path
) -> None:
    result = codestreak(command, "--host", "0.0.0.0", cwd=tmp_path, env={"SECRET_KEY": key})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "SECRET_KEY" in result.stderr
    assert "0.0.0.0" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "var").exists()  # refused before touching the database


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _web(tmp_path: Path, env: dict[str, str]) -> Iterator[str]:
    """`codestreak web` on a loopback port; yields its URL once it answers."""
    port = _free_port()
    log = (tmp_path / "web.log").open("w")
    environment = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/web.db", **env}
    environment.pop("FORWARDED_ALLOW_IPS", None)
    process = subprocess.Popen(
        [CODESTREAK, "web", "--port", str(port)],
        cwd=tmp_path,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            assert process.poll() is None, (tmp_path / "web.log").read_text()
            try:
                httpx.get(f"{url}/healthz")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _forgot_from(browser: httpx.Client, forwarded_for: str, email: str) -> int:
    token = CSRF_INPUT.search(browser.get("/forgot-password").text)
    assert token
    answer = browser.post(
        "/forgot-password",
        data={"email": email, "csrf_token": token.group(1)},
        headers={"X-Forwarded-For": forwarded_for},
    )
    return answer.status_code


@pytest.mark.parametrize(("trusted", "other_visitor_status"), [("", 429), ("127.0.0.1", 200)])
def test_forwarded_for_counts_only_from_a_trusted_proxy(
    trusted: str, other_visitor_status: int, tmp_path: Path
) -> None:
    allowed = int(rate_limits.FORGOT_PASSWORD.split("/")[0])
    (tmp_path / ".env").write_text(f"FORWARDED_ALLOW_IPS={trusted}\n")
    with _web(tmp_path, {}) as url, httpx.Client(base_url=url) as b:
        for n in range(allowed):
            assert _forgot_from(b, "203.0.113.1", f"learner{n}@example.com") == 200
        assert _forgot_from(b, "203.0.113.2", "another@example.com") == other_visitor_status


def test_without_a_key_sessions_survive_a_restart(tmp_path: Path) -> None:
    env = {"SECRET_KEY": ""}
    with _web(tmp_path, env) as url, httpx.Client(base_url=url) as browser:
        token = CSRF_INPUT.search(browser.get("/login").text)
        assert token
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_text()
    with _web(tmp_path, env) as url, httpx.Client(base_url=url, cookies=browser.cookies) as same:
        answer = same.post(
            "/forgot-password", data={"email": "ada@example.com", "csrf_token": token.group(1)}
        )
        assert answer.status_code == 200, answer.text
    assert key_file.read_text() == key
