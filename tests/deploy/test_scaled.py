"""The scaled-out stack as compose runs it, on one machine: `codestreak migrate` once, then a
website replica and the bot that grade through the queue without a Docker engine, and a
`codestreak grader` that does the grading."""

from __future__ import annotations

import asyncio
import signal
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from core.db import open_database
from core.models import Submission
from core.submissions.service import submission_job_id
from core.verdicts import SubmissionVerdict
from tests.fakediscord import running_fake
from tests.support import databases, serving
from tests.support.cli_runner import codestreak
from tests.support.graders import graders

pytestmark = [pytest.mark.docker, pytest.mark.mariadb]

DATA = Path(__file__).parents[2] / "data"
SHIPPED_TASK = "roman-numeral-reader"
STOP_LIMIT_S = 45.0


@pytest.fixture
async def fresh_mariadb() -> AsyncIterator[str]:
    """An empty MariaDB database (no schema yet), dropped afterwards."""
    name = f"codestreak_scaled_{uuid.uuid4().hex[:10]}"
    url = await databases.create_mariadb_database(name, revision="base")
    try:
        yield url
    finally:
        await databases.drop_mariadb_database(name)


async def test_migrate_then_web_bot_and_grader_grade_a_submission_through_the_queue(
    fresh_mariadb: str, redis_url: str, redis_queue_name: str, sandbox_image: str, tmp_path: Path
) -> None:
    env = {
        "ENVIRONMENT": "production",
        "SECRET_KEY": "scaled-stack-secret-key-long-enough-to-sign-0123456789",
        "DATABASE_URL": fresh_mariadb,
        "CONTENT_DIR": str(DATA),
        "MIGRATE_ON_START": "false",
        "GRADING_MODE": "queue",
        "REDIS_URL": redis_url,
        "QUEUE_NAME": redis_queue_name,
        "LIMITS_STORAGE_URI": f"async+{redis_url}",
        "SANDBOX_DOCKER_URL": "tcp://127.0.0.1:1",  # no engine: only the grader has one
    }
    migrated = await asyncio.to_thread(codestreak, "migrate", cwd=tmp_path, env=env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    async with running_fake() as fake:
        guild = fake.create_guild("Scaled Server")
        channel = fake.add_text_channel(guild, "general")
        learner = fake.add_member(guild, "hedy")
        bot_env = {
            **env,
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_BASE": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "DISCORD_GUILD_IDS": f"[{guild.id}]",
        }
        with graders(tmp_path, 1, redis_url, redis_queue_name, sandbox_image) as (grader,):
            async with (
                serving.site("web", tmp_path, env, tmp_path / "web.log") as (url, web),
                serving.background(("bot",), tmp_path, bot_env, tmp_path / "bot.log") as bot,
            ):
                ready = await serving.wait_ready(url, web, tmp_path / "web.log")
                assert ready == {"status": "ready", "checks": {"database": True, "redis": True}}
                await fake.wait_for_command_sync(guild, timeout_s=60)
                # commands are synced before the gateway connects: wait for the bot to be there
                await fake.wait_until_bot_ready(timeout_s=60)
                solution = fake.make_attachment("solution.py", "print(0)\n")
                record = await fake.send_slash(
                    channel, learner, "submit", {"task": SHIPPED_TASK, "file": solution}
                )
                verdict = await record.wait_for_response(timeout_s=60)
                assert "wrong answer" in verdict.text().lower()
                bot.send_signal(signal.SIGTERM)
                assert await asyncio.wait_for(bot.wait(), STOP_LIMIT_S) == 0
        fake.assert_no_violations()
    async with open_database(fresh_mariadb) as database, database.sessions() as session:
        submission = (await session.scalars(select(Submission))).one()
    assert submission.verdict == SubmissionVerdict.WRONG_ANSWER
    assert grader.took(submission_job_id(submission.id))
    for log in ("web.log", "bot.log"):
        assert "Traceback" not in (tmp_path / log).read_text()
