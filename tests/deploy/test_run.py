"""`codestreak run` as an operator starts it: ready, serving, and stopping cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from core.db import open_database
from core.models import Submission
from tests.fakediscord import running_fake
from tests.support import databases, serving
from tests.support.bot_scene import content_database, pending_submission
from tests.support.cli_runner import CODESTREAK

pytestmark = pytest.mark.docker

DATA = Path(__file__).parents[2] / "data"
STOP_LIMIT_S = 45.0
SHIPPED_TASK = "roman-numeral-reader"


@asynccontextmanager
async def running(
    tmp_path: Path, sandbox_image: str, extra: Mapping[str, str] = {}
) -> AsyncIterator[tuple[str, asyncio.subprocess.Process, str]]:
    """`codestreak run` on a fresh SQLite file; yields its URL, process and pool name."""
    pool_name = f"run-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/fresh.db",
        "CONTENT_DIR": str(DATA),
        "SANDBOX_IMAGE": sandbox_image,
        "SANDBOX_POOL_NAME": pool_name,
        "SANDBOX_POOL_SIZE": "2",
        "DISCORD_TOKEN": "",
        **extra,
    }
    async with serving.site("run", tmp_path, env, tmp_path / "run.log") as (url, process):
        yield url, process, pool_name


async def _containers(pool_name: str) -> list[str]:
    process = await asyncio.create_subprocess_exec(
        "docker", "ps", "-aq", "--filter", f"label=codestreak.sandbox.pool={pool_name}",
        stdout=subprocess.PIPE,
    )  # fmt: skip
    out, _ = await process.communicate()
    return out.decode().split()


def _queue_modules_imported(log: Path) -> set[str]:
    """The queue's modules (arq, redis, grading_queue) a process run with PYTHONPROFILEIMPORTTIME
    imported, by the import profile in its `log`."""
    profile = log.read_text().splitlines()
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in profile if line.startswith("import time:")
    }
    assert {"discord", "sqlalchemy", "sandbox.pool"} <= imported  # the profile was recorded
    return {m for m in imported if m.split(".")[0] in {"arq", "redis", "grading_queue"}}


async def _stop(process: asyncio.subprocess.Process) -> int:
    process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(process.wait(), STOP_LIMIT_S)


async def test_run_without_a_token_serves_the_site(sandbox_image: str, tmp_path: Path) -> None:
    async with running(tmp_path, sandbox_image) as (url, process, pool_name):
        ready = await serving.wait_ready(url, process, tmp_path / "run.log")
        assert ready == {
            "status": "ready",
            "checks": {"database": True, "docker": True, "sandbox_pool": True},
        }
        async with httpx.AsyncClient() as client:
            assert (await client.get(f"{url}/healthz")).json() == {"status": "ok"}
            page = await client.get(f"{url}/tasks/{SHIPPED_TASK}")
            assert page.status_code == 200
            assert "Roman" in page.text
        assert await _containers(pool_name)
        assert await _stop(process) == 0
        assert await _containers(pool_name) == []
    log = (tmp_path / "run.log").read_text()
    assert "No DISCORD_TOKEN: serving the website only" in log
    assert "Traceback" not in log


async def test_run_with_the_bot_answers_daily(sandbox_image: str, tmp_path: Path) -> None:
    async with running_fake() as fake:
        guild = fake.create_guild("Run Server")
        channel = fake.add_text_channel(guild, "general")
        learner = fake.add_member(guild, "ada")
        extra = {
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_BASE": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "DISCORD_GUILD_IDS": f"[{guild.id}]",
        }
        async with running(tmp_path, sandbox_image, extra) as (url, process, pool_name):
            ready = await serving.wait_ready(url, process, tmp_path / "run.log")
            assert ready["checks"]["discord"] is True
            await fake.wait_for_command_sync(guild, timeout_s=30)
            record = await fake.send_slash(channel, learner, "daily")
            answer = await record.wait_for_response(timeout_s=20)
            assert "challenge" in answer.text().lower()
            assert record.ack_delay_s is not None
            assert record.ack_delay_s < 3
            assert await _stop(process) == 0
            assert await _containers(pool_name) == []
        fake.assert_no_violations()


async def test_the_embedded_process_never_imports_the_grading_queue(
    sandbox_image: str, tmp_path: Path
) -> None:
    """`codestreak run` with the bot, in pool mode, serves and grades without ever loading the
    queue's libraries or a Redis client (Python's import profile lists every module loaded)."""
    async with running_fake() as fake:
        guild = fake.create_guild("Embedded Server")
        channel = fake.add_text_channel(guild, "general")
        learner = fake.add_member(guild, "lin")
        extra = {
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_BASE": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "DISCORD_GUILD_IDS": f"[{guild.id}]",
            "PYTHONPROFILEIMPORTTIME": "1",
        }
        async with running(tmp_path, sandbox_image, extra) as (url, process, _):
            await serving.wait_ready(url, process, tmp_path / "run.log")
            await fake.wait_for_command_sync(guild, timeout_s=30)
            solution = fake.make_attachment("solution.py", "print(0)\n")
            record = await fake.send_slash(
                channel, learner, "submit", {"task": SHIPPED_TASK, "file": solution}
            )
            verdict = await record.wait_for_response(timeout_s=60)
            assert "wrong answer" in verdict.text().lower()
            assert await _stop(process) == 0
        fake.assert_no_violations()
    assert _queue_modules_imported(tmp_path / "run.log") == set()


async def test_the_bot_alone_recovers_loads_content_answers_and_stops_cleanly_on_sigterm(
    sandbox_image: str, sqlite_template: Path, tmp_path: Path
) -> None:
    url = databases.sqlite_copy(sqlite_template, tmp_path)
    async with content_database(url, tmp_path) as sessions:  # the shipped content is not loaded
        await pending_submission(sessions)
    async with running_fake() as fake:
        guild = fake.create_guild("Bot Server")
        channel = fake.add_text_channel(guild, "general")
        learner = fake.add_member(guild, "grace")
        pool_name = f"bot-alone-{os.getpid()}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "CONTENT_DIR": str(DATA),
            "SANDBOX_IMAGE": sandbox_image,
            "SANDBOX_POOL_NAME": pool_name,
            "SANDBOX_POOL_SIZE": "1",
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_BASE": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "PYTHONPROFILEIMPORTTIME": "1",
        }
        log = (tmp_path / "bot.log").open("w")
        process = await asyncio.create_subprocess_exec(
            CODESTREAK, "bot", cwd=tmp_path, env=env, stdout=log, stderr=log
        )
        try:
            commands = await fake.wait_for_command_sync(None, timeout_s=60)
            await fake.wait_until_bot_ready()
            assert {c["name"] for c in commands} >= {"daily", "submit", "tasks", "mod"}
            record = await fake.send_slash(channel, learner, "task", {"task": SHIPPED_TASK})
            answer = await record.wait_for_response(timeout_s=20)
            assert "Roman" in answer.text()
            assert await _containers(pool_name)
            assert await _stop(process) == 0
            assert await _containers(pool_name) == []
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
            log.close()
        assert "Traceback" not in (tmp_path / "bot.log").read_text()
        assert _queue_modules_imported(tmp_path / "bot.log") == set()
        fake.assert_no_violations()
    async with open_database(url) as database, database.sessions() as session:
        assert list(await session.scalars(select(Submission.verdict))) == ["sandbox_error"]
