"""A grader host as docs/operations.md sets one up: its Redis user is the documented ACL line,
which lets it take and answer grading jobs and nothing else."""

from __future__ import annotations

import re
import shlex
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from redis import Redis
from redis.exceptions import NoPermissionError

from grading_queue.client import QueueGrader
from sandbox import TestCase, Verdict
from tests.support.graders import graders

OPERATIONS = Path(__file__).parents[2] / "docs" / "operations.md"
DOCUMENTED_ACL = re.compile(r"^\s*(ACL SETUSER codestreak-grader .+)$", re.MULTILINE)
DOCUMENTED_QUEUE = "codestreak:grading"
ECHO = [TestCase(input="hi\n", expected="hi\n")]


def _as_user(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    return f"redis://{user}:{password}@{parts.hostname}:{parts.port}{parts.path}"


@pytest.fixture
def grader_user(redis_url: str, redis_queue_name: str) -> Iterator[str]:
    """A Redis user made by the documented ACL line (for this test's queue); its URL."""
    found = DOCUMENTED_ACL.search(OPERATIONS.read_text())
    assert found, "docs/operations.md gives no ACL line for graders"
    user, password = f"codestreak-grader-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    line = (
        found.group(1)
        .replace("codestreak-grader", user)
        .replace("GRADER-PASSWORD", password)
        .replace(DOCUMENTED_QUEUE, redis_queue_name)
    )
    admin = Redis.from_url(redis_url)
    try:
        admin.execute_command(*shlex.split(line))  # type: ignore[no-untyped-call]
        yield _as_user(redis_url, user, password)
    finally:
        admin.acl_deluser(user)
        admin.close()


async def test_a_grader_with_the_documented_redis_user_grades_and_reaches_nothing_else(
    sandbox_image: str, redis_url: str, redis_queue_name: str, grader_user: str, tmp_path: Path
) -> None:
    with graders(tmp_path, 1, grader_user, redis_queue_name, sandbox_image):
        client = QueueGrader(redis_url, redis_queue_name, max_depth=10, expiry_s=60)
        await client.start()
        try:
            result = await client.grade("print(input())", ECHO, job_id="grader-host-1")
        finally:
            await client.close()
    assert result.verdict is Verdict.ACCEPTED
    limited = Redis.from_url(grader_user)
    try:
        with pytest.raises(NoPermissionError):
            limited.get("codestreak:limits:login")
        with pytest.raises(NoPermissionError):
            limited.flushdb()
        with pytest.raises(NoPermissionError):
            limited.config_get("requirepass")
    finally:
        limited.close()
