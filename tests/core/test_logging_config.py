"""Logging: readable or JSON lines, with the submission id on every line about a submission."""

from __future__ import annotations

import json
import logging

import pytest

from core.logging_config import configure_logging, submission_context


@pytest.fixture(autouse=True)
def _restore_logging() -> object:
    yield
    configure_logging("WARNING")


def test_json_lines_carry_the_submission_id(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    log = logging.getLogger("codestreak.test")
    with submission_context(42):
        log.info("graded %s", "sum-of-digits")
    log.warning("outside")
    first, second = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    assert first["message"] == "graded sum-of-digits"
    assert first["submission_id"] == 42
    assert first["level"] == "INFO"
    assert "submission_id" not in second


def test_text_lines_name_the_submission(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    with submission_context(7):
        logging.getLogger("codestreak.test").info("accepted")
    assert "codestreak.test: [submission 7] accepted" in capsys.readouterr().err
