"""Fixtures of the grading queue's tests: `codestreak grader` processes serving a queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grading_queue.fleet import GraderProcess
from tests.support.graders import graders


@pytest.fixture
def two_graders(
    sandbox_image: str, redis_url: str, redis_queue_name: str, tmp_path: Path
) -> Iterator[list[GraderProcess]]:
    """Two graders on the test's queue, stopped afterwards (their containers removed)."""
    with graders(tmp_path, 2, redis_url, redis_queue_name, sandbox_image) as running:
        yield running


@pytest.fixture
def one_grader(
    sandbox_image: str, redis_url: str, redis_queue_name: str, tmp_path: Path
) -> Iterator[GraderProcess]:
    """One grader on the test's queue, stopped afterwards (its containers removed)."""
    with graders(tmp_path, 1, redis_url, redis_queue_name, sandbox_image) as running:
        yield running[0]
