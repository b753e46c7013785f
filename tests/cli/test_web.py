"""`codestreak web` as an operator starts it: a missing service is named, and the replica grades
learners' submissions from the task pages."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from core.db import create_engine, create_sessionmaker
from tests.support import databases
from tests.support.cli_runner import codestreak
from tests.support.moderation_site import add_account
from tests.support.rows import add_task
from tests.support.serving import site, wait_ready
from tests.support.site_client import csrf_token, log_in

RIGHT = "line = input()\nprint(line)\nprint(line)\n"


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


async def _learner_and_task(url: str) -> None:
    """The task echo-twice and a learner's account, on the replica's database."""
    engine = create_engine(url)
    try:
        sessions = create_sessionmaker(engine)
        async with sessions() as session:
            await add_task(session, "echo-twice", points=10)
            await session.commit()
        await add_account(sessions, "ada@example.com", "Ada", moderator=False)
    finally:
        await engine.dispose()


async def test_a_replica_grades_a_task_pages_submission_in_its_own_sandbox_pool(
    tmp_path: Path, sqlite_template: Path, sandbox_image: str
) -> None:
    url = databases.sqlite_copy(sqlite_template, tmp_path)
    await _learner_and_task(url)
    env = {
        "DATABASE_URL": url,
        "SANDBOX_IMAGE": sandbox_image,
        "SANDBOX_POOL_NAME": f"test-web-{os.getpid()}",
    }
    log = tmp_path / "web.log"
    async with site("web", tmp_path, env, log) as (address, process):
        await wait_ready(address, process, log)
        async with httpx.AsyncClient(base_url=address, timeout=60) as browser:
            assert (await log_in(browser, "ada@example.com")).status_code == 303
            page = await browser.get("/tasks/echo-twice")
            answer = await browser.post(
                "/tasks/echo-twice/submit",
                data={"code": RIGHT, "csrf_token": csrf_token(page.text)},
                files={"upload": ("", b"")},
            )
        process.terminate()  # as an orchestrator stops it: the pool's containers go too
        assert await process.wait() == 0
    assert answer.status_code == 200, answer.text
    assert "✓ Accepted" in answer.text
    assert "+10 points" in answer.text
