"""Twenty learners submit at once through the real bot, graded through the queue by two
`codestreak grader` processes: every one is answered, graded once, and solved once."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db import session_scope
from core.models import Solve, Submission
from grading_queue.client import QueueGrader
from grading_queue.fleet import GraderProcess
from tests.fakediscord import running_fake
from tests.support import databases
from tests.support.bot_scene import ACK_DEADLINE_S, ECHO_RIGHT, bot_on, content_database, embed_of

pytestmark = [pytest.mark.docker, pytest.mark.asyncio]

LEARNERS = 20


async def test_twenty_concurrent_submissions_through_the_queue_are_all_answered(
    two_graders: list[GraderProcess],
    redis_url: str,
    redis_queue_name: str,
    sqlite_template: Path,
    tmp_path: Path,
) -> None:
    client = QueueGrader(redis_url, redis_queue_name, max_depth=100, expiry_s=120)
    await client.start()
    url = databases.sqlite_copy(sqlite_template, tmp_path)
    try:
        async with content_database(url, tmp_path) as sessions, running_fake() as fake:
            guild = fake.create_guild("Queue Ground")
            channel = fake.add_text_channel(guild, "general")
            async with bot_on(fake, guild, sessions, client):
                members = [fake.add_member(guild, f"crowd{n}") for n in range(LEARNERS)]
                records = await asyncio.gather(
                    *(
                        fake.send_slash(
                            channel,
                            member,
                            "submit",
                            {
                                "task": "echo-twice",
                                "file": fake.make_attachment("solution.py", ECHO_RIGHT),
                            },
                        )
                        for member in members
                    )
                )
                await asyncio.gather(*(r.wait_for_ack(ACK_DEADLINE_S + 2) for r in records))
                replies = await asyncio.gather(*(r.wait_for_response(120) for r in records))
                fake.assert_no_violations()
            async with session_scope(sessions) as session:
                verdicts = Counter((await session.scalars(select(Submission.verdict))).all())
                solves = await session.scalar(select(func.count()).select_from(Solve))
    finally:
        await client.close()
    assert {embed_of(reply)["title"] for reply in replies} == {"✅ Accepted · Echo twice"}
    assert [str(verdict) for verdict in verdicts] == ["accepted"]
    assert sum(verdicts.values()) == LEARNERS
    assert solves == LEARNERS
    taken = "".join(grader.output() for grader in two_graders).count("→ submission-")
    assert taken == LEARNERS
