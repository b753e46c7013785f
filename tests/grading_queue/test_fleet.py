"""Grader processes as the benchmark reads them: which jobs one holds, by its log."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from grading_queue.fleet import GraderDidNotStart, GraderProcess, start_grader

LOG = """\
INFO    arq.worker: Starting worker for 1 functions: grade
INFO    arq.worker:   0.04s → submission-1:grade({'code': 'print(1)', 'cases': [{'input'…)
INFO    arq.worker:   0.04s → submission-2:grade({'code': 'x = 1:2', 'cases': [{'input'…)
INFO    arq.worker:   0.10s ← submission-1:grade ●
"""


def test_a_grader_holds_the_jobs_it_started_and_did_not_finish(tmp_path: Path) -> None:
    log = tmp_path / "g.log"
    log.write_text(LOG)
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    grader = GraderProcess("g", process, log)
    assert grader.holding() == {"submission-2"}
    assert grader.took("submission-1")
    assert not grader.took("submission-3")


def test_a_grader_that_ends_at_once_did_not_start(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "print('no Redis here')"]
    with pytest.raises(GraderDidNotStart, match="no Redis here"):
        start_grader(command, tmp_path, "quitter", {})
