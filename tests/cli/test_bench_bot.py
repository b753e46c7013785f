"""`codestreak bench bot`: the real bot on the fake Discord, learners one at a time and at once;
every phase measured, every submission answered, and a clear refusal for an unknown task."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.bot_scene import write_content
from tests.support.cli_runner import codestreak

PHASES = ("acknowledgement", "recording", "grading", "sending", "total")
SPREAD = {"p50_ms", "p95_ms", "max_ms", "samples"}


def _bench(
    tmp_path: Path, *args: str, grader: str = "fake", image: str | None = None
) -> tuple[int, str, str]:
    env = {"CONTENT_DIR": str(write_content(tmp_path)), "LOG_LEVEL": "WARNING"}
    if image is not None:
        env["SANDBOX_IMAGE"] = image
    common = ["--grader", grader, "--task", "echo-twice", "--learners", "4", "--burst", "6"]
    result = codestreak("bench", "bot", *common, *args, cwd=tmp_path, env=env, timeout=300)
    return result.returncode, result.stdout, result.stderr


def test_the_json_document_has_every_phase_of_both_runs(tmp_path: Path) -> None:
    code, out, err = _bench(tmp_path, "--json")
    assert code == 0, err
    figures = json.loads(out)
    assert figures["grader"] == "fake"
    assert figures["task"] == "echo-twice"
    assert figures["violations"] == 0
    assert figures["goal_p50_ms"] == 150
    for run, count in (("one_at_a_time", 4), ("burst", 6)):
        learners = figures[run]
        assert learners["submissions"] == learners["answered"] == learners["accepted"] == count
        assert learners["late_acks"] == 0
        assert set(learners["code_box"]) == SPREAD
        # the bot's own histograms saw every grading and every award of the run
        assert learners["metrics"]["gradings"] == learners["metrics"]["awards"] == count
        assert set(learners["phases"]) == set(PHASES)
        for phase in PHASES:
            spread = learners["phases"][phase]
            assert spread["samples"] == count, (run, phase)
            assert 0 <= spread["p50_ms"] <= spread["p95_ms"] <= spread["max_ms"], (run, phase)
        total = learners["phases"]["total"]["max_ms"]
        assert total > 0
        assert all(learners["phases"][phase]["max_ms"] <= total for phase in PHASES)
    assert figures["goal_met"] is (figures["one_at_a_time"]["phases"]["total"]["p50_ms"] <= 150)


def test_the_lines_name_every_phase_and_the_goal(tmp_path: Path) -> None:
    code, out, err = _bench(tmp_path)
    assert code == 0, err
    assert "one at a time      4 submissions: 4 answered, 4 accepted, 0 acknowledged late" in out
    assert "all at once        6 submissions: 6 answered, 6 accepted, 0 acknowledged late" in out
    for phase in ("code box", *PHASES):
        assert out.count(f"  {phase} ") == 2, phase
    assert out.count("  bot's metrics    ") == 2
    assert "goal               p50 one at a time" in out
    assert "Discord rules broken: 0" in out


def test_the_sandbox_grades_every_submission(tmp_path: Path, sandbox_image: str) -> None:
    code, out, err = _bench(tmp_path, "--json", grader="sandbox", image=sandbox_image)
    assert code == 0, err
    figures = json.loads(out)
    assert figures["grader"] == "sandbox"
    for run, count in (("one_at_a_time", 4), ("burst", 6)):
        learners = figures[run]
        assert learners["answered"] == learners["accepted"] == count
        assert learners["late_acks"] == 0
        assert learners["phases"]["grading"]["p50_ms"] > 1  # containers ran the code
        assert learners["metrics"]["gradings"] == count
    assert figures["violations"] == 0


def test_an_unknown_task_is_refused_plainly(tmp_path: Path) -> None:
    code, _, err = _bench(tmp_path, "--task", "no-such-task")
    assert code == 2
    assert "no published task 'no-such-task'" in err
    assert "Traceback" not in err


def test_without_the_tests_folder_it_says_to_run_from_a_checkout(tmp_path: Path) -> None:
    """As from an installed wheel, which ships no `tests` package."""
    no_tests = (
        "import sys; sys.modules['tests'] = None; from cli.main import app; "
        "sys.argv = ['codestreak', 'bench', 'bot', '--grader', 'fake']; app()"
    )
    result = subprocess.run(
        [sys.executable, "-c", no_tests],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "run it from a checkout" in result.stderr
    assert "Traceback" not in result.stderr
