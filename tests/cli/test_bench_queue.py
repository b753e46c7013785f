"""`codestreak bench queue`: loopback only, and a short run that measures every figure."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli_runner import codestreak

DATA = Path(__file__).resolve().parents[2] / "data"


def test_a_redis_elsewhere_is_refused(tmp_path: Path) -> None:
    result = codestreak("bench", "queue", cwd=tmp_path, env={"REDIS_URL": "redis://10.1.2.3/0"})
    assert result.returncode == 2, result.stderr
    assert "loopback only" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_short_run_measures_everything(
    tmp_path: Path, redis_url: str, sandbox_image: str
) -> None:
    env = {
        "REDIS_URL": redis_url,
        "SANDBOX_IMAGE": sandbox_image,
        "CONTENT_DIR": str(DATA),
        "LOG_LEVEL": "WARNING",
    }
    args = ["--samples", "5", "--duration", "1", "--burst", "20", "--learners", "6", "--json"]
    result = codestreak("bench", "queue", *args, cwd=tmp_path, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["queue"]["samples"] == figures["in_process"]["samples"] == 5
    assert figures["queue"]["p50_ms"] > 0
    assert figures["one_grader_per_s"] > 0
    assert figures["two_graders_per_s"] > 0
    assert figures["burst"]["submitted"] == 20
    assert figures["burst_all_answered"]
    kill = figures["kill"]
    assert kill["accepted"] == kill["submissions"] == 6
    assert kill["left_pending"] == 0
    assert kill["points_total"] == kill["points_expected"] > 0
    assert kill["recovery_s"] > 0
