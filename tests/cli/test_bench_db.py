"""`codestreak bench db`: a small fill measures every query, and a filled database is refused."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli_runner import codestreak
from tests.support.content_factories import content_folder

QUERIES_AT_LEAST = 4
SMALL = ("--learners", "20", "--submissions", "40", "--rounds", "5")


def test_a_small_fill_is_measured_and_a_filled_database_refused(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/bench.db",
        "CONTENT_DIR": str(content_folder(tmp_path, tasks=3)),
        "LOG_LEVEL": "WARNING",
    }
    first = codestreak("bench", "db", *SMALL, "--json", cwd=tmp_path, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    figures = json.loads(first.stdout)
    assert figures["learners"] == 20
    assert figures["submissions"] == 40
    assert figures["database"].endswith("bench.db")
    assert len(figures["p50_ms"]) >= QUERIES_AT_LEAST
    assert all(p50 > 0 for p50 in figures["p50_ms"].values())
    again = codestreak("bench", "db", *SMALL, cwd=tmp_path, env=env, timeout=300)
    assert again.returncode == 2
    assert again.stderr.startswith("Cannot benchmark: ")
    assert "Traceback" not in again.stderr
