"""`codestreak web` as an operator starts it, where a missing service must be named."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli_runner import codestreak


def test_a_queue_mode_replica_without_redis_exits_1_saying_so(tmp_path: Path) -> None:
    result = codestreak(
        "web",
        cwd=tmp_path,
        env={
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/web.db",
            "GRADING_MODE": "queue",
            "REDIS_URL": "redis://:secret-password@127.0.0.1:1/0",
        },
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The grading queue cannot start" in result.stderr
    assert "Check REDIS_URL" in result.stderr
    assert "secret-password" not in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
