"""Loading content is an idempotent, all-or-nothing upsert by slug, on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.content.files import read_content
from core.content.loader import ContentError, ContentLoad, load_content, upsert_tasks
from core.content.schema import TaskFile
from core.db import session_scope
from core.models import GLOBAL_CATALOGUE, Achievement, HintReveal, Task, TaskVersion, TestCase
from tests.support.catalogue import GUILD_A, add_task
from tests.support.content_factories import content_folder, task_document, write_json
from tests.support.databases import Sessions
from tests.support.learners import make_learner


async def _load(sessions: Sessions, folder: Path) -> ContentLoad:
    async with session_scope(sessions) as session:
        return await load_content(session, read_content(folder))


async def _count(sessions: Sessions, model: type[object]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_first_load_creates_everything(sessions: Sessions, tmp_path: Path) -> None:
    result = await _load(sessions, content_folder(tmp_path, tasks=3, achievements=2))
    assert sorted(result.tasks.created) == ["task-0", "task-1", "task-2"]
    assert len(result.achievements.created) == 2
    async with sessions() as session:
        task = await session.scalar(
            select(Task)
            .where(Task.slug == "task-1")
            .options(selectinload(Task.tests), selectinload(Task.tags))
        )
    assert task is not None
    assert task.points == 10
    assert task.tag_names == ["strings"]
    assert [(t.input, t.hidden) for t in task.tests] == [("a\n", False), ("xyz\n", True)]


async def test_second_load_changes_nothing(sessions: Sessions, tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=3, achievements=2)
    await _load(sessions, folder)
    again = await _load(sessions, folder)
    assert not again.changed
    assert (again.tasks.unchanged, again.achievements.unchanged) == (3, 2)


async def test_changed_file_updates_in_place(sessions: Sessions, tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=2, achievements=0)
    await _load(sessions, folder)
    tests = [
        {"input": "q\n", "output": "q\nq\n", "hidden": False},
        {"input": "r\n", "output": "r\nr\n", "hidden": True},
        {"input": "s\n", "output": "s\ns\n", "hidden": True},
    ]
    write_json(folder / "tasks" / "task-1.json", task_document("task-1", title="New", tests=tests))
    result = await _load(sessions, folder)
    assert (result.tasks.updated, result.tasks.unchanged) == (["task-1"], 1)
    assert await _count(sessions, Task) == 2
    assert await _count(sessions, TestCase) == 2 + 3
    async with sessions() as session:
        assert await session.scalar(select(Task.title).where(Task.slug == "task-1")) == "New"
        assert await session.scalar(select(Task.version).where(Task.slug == "task-1")) == 2
        versions = (
            await session.execute(
                select(TaskVersion.version, TaskVersion.document)
                .join(Task, Task.id == TaskVersion.task_id)
                .where(Task.slug == "task-1")
                .order_by(TaskVersion.version)
            )
        ).all()
    assert [(v, d["title"]) for v, d in versions] == [(1, "Echo twice"), (2, "New")]
    assert versions[1][1]["tests"] == tests


async def test_one_bad_file_writes_nothing(sessions: Sessions, tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=3, achievements=1)
    write_json(folder / "tasks" / "zz-bad.json", task_document("zz-bad", difficulty="brutal"))
    with pytest.raises(ContentError, match=r"zz-bad\.json: difficulty"):
        await _load(sessions, folder)
    assert await _count(sessions, Task) == 0
    assert await _count(sessions, Achievement) == 0


async def test_a_failure_mid_load_rolls_everything_back(sessions: Sessions, tmp_path: Path) -> None:
    content = read_content(content_folder(tmp_path, tasks=3, achievements=1))

    async def load_then_fail() -> None:
        async with session_scope(sessions) as session:
            await load_content(session, content)
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        await load_then_fail()
    assert await _count(sessions, Task) == 0


async def test_shipped_content_loads_and_reloads_unchanged(sessions: Sessions) -> None:
    shipped = Path(__file__).parents[3] / "data"
    first = await _load(sessions, shipped)
    assert first.tasks.created
    again = await _load(sessions, shipped)
    assert not again.changed


async def test_loaded_content_is_the_shared_catalogue(sessions: Sessions, tmp_path: Path) -> None:
    await add_task(sessions, "task-0", GUILD_A, title="A's own")
    result = await _load(sessions, content_folder(tmp_path, tasks=2, achievements=0))
    assert sorted(result.tasks.created) == ["task-0", "task-1"]
    async with sessions() as session:
        rows = await session.execute(
            select(Task.owner_guild_id, Task.slug, Task.title).order_by(Task.slug, Task.id)
        )
        assert rows.all() == [
            (GUILD_A, "task-0", "A's own"),
            (GLOBAL_CATALOGUE, "task-0", "Echo twice"),
            (GLOBAL_CATALOGUE, "task-1", "Echo twice"),
        ]


async def test_a_server_keeps_its_task_when_the_shared_catalogue_takes_the_slug(
    sessions: Sessions,
) -> None:
    await add_task(sessions, "taken", GUILD_A)
    await add_task(sessions, "taken")
    changed = TaskFile.model_validate(task_document("taken", title="Still A's"))
    async with session_scope(sessions) as session:
        report = await upsert_tasks(session, [changed], validated=True, owner=GUILD_A)
    assert report.updated == ["taken"]
    fresh = TaskFile.model_validate(task_document("taken-too"))
    await add_task(sessions, "taken-too")
    async with session_scope(sessions) as session:
        with pytest.raises(ContentError, match="'taken-too' belongs to a task of the shared"):
            await upsert_tasks(session, [fresh], owner=GUILD_A)
    assert await _count(sessions, Task) == 3


async def test_removing_hints_stops_charging_for_them(sessions: Sessions, tmp_path: Path) -> None:
    folder = content_folder(tmp_path, tasks=1, achievements=0)
    hints = ["Read the line once.", "Print it two times."]
    write_json(folder / "tasks" / "task-0.json", task_document("task-0", hints=hints))
    await _load(sessions, folder)
    learner = await make_learner(sessions, 501)
    async with session_scope(sessions) as session:
        task_id = await session.scalar(select(Task.id).where(Task.slug == "task-0"))
        assert task_id is not None
        session.add(HintReveal(user_id=learner, task_id=task_id, revealed=2))

    write_json(folder / "tasks" / "task-0.json", task_document("task-0", hints=hints[:1]))
    await _load(sessions, folder)

    async with sessions() as session:
        assert await session.scalar(select(HintReveal.revealed)) == 1
