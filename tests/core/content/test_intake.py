"""Importing one task document: proved in the sandbox, then saved for its owner."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from core.content.intake import import_task_document
from core.content.loader import ContentError
from core.db import session_scope
from core.models import GLOBAL_CATALOGUE, Task
from tests.support.catalogue import GUILD_A, GUILD_B, add_task
from tests.support.content_factories import task_document
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader

DOCUMENT = task_document("echo-twice")


def _echo(stdin: str) -> str:
    return stdin.splitlines()[0] + "\n"


#: the document's reference solution (echoes twice) and wrong one (once), as the sandbox runs them
PROGRAMS = {
    DOCUMENT["solution"]: lambda stdin: _echo(stdin) * 2,
    DOCUMENT["wrong_solutions"][0]["code"]: _echo,
}


def _raw(**changes: object) -> bytes:
    return json.dumps({**DOCUMENT, **changes}).encode()


async def _owners(sessions: Sessions, slug: str) -> list[tuple[int, str]]:
    async with sessions() as session:
        rows = await session.execute(
            select(Task.owner_guild_id, Task.title).where(Task.slug == slug).order_by(Task.id)
        )
        return [(owner, title) for owner, title in rows]


async def test_each_owner_imports_its_own_task(sessions: Sessions) -> None:
    grader = ScriptedGrader(programs=PROGRAMS)
    for owner, title in [(GUILD_A, "A's echo"), (GUILD_B, "B's echo"), (GUILD_A, "A again")]:
        async with session_scope(sessions) as session:
            imported = await import_task_document(
                session, grader, _raw(title=title), "echo.json", owner=owner
            )
        assert imported.verification.problems == ()
    assert await _owners(sessions, "echo-twice") == [(GUILD_A, "A again"), (GUILD_B, "B's echo")]
    async with session_scope(sessions) as session:
        shared = await import_task_document(session, grader, _raw(), "echo.json")
    assert shared.created
    assert (await _owners(sessions, "echo-twice"))[-1] == (GLOBAL_CATALOGUE, "Echo twice")


async def test_a_server_task_cannot_take_a_shared_slug(sessions: Sessions) -> None:
    await add_task(sessions, "echo-twice", title="Shared echo")
    grader = ScriptedGrader(programs=PROGRAMS)
    async with session_scope(sessions) as session:
        with pytest.raises(ContentError, match=r"echo\.json: slug: .*choose another slug"):
            await import_task_document(session, grader, _raw(), "echo.json", owner=GUILD_A)
    assert grader.calls == 0  # refused before the sandbox is asked
    assert await _owners(sessions, "echo-twice") == [(GLOBAL_CATALOGUE, "Shared echo")]
