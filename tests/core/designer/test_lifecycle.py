"""A task's life in the designer: only validated versions reach learners."""

from __future__ import annotations

import pytest

from core.content.schema import TaskFile
from core.db import session_scope
from core.designer.lifecycle import (
    DesignerRefused,
    Status,
    TaskMissing,
    changes_need_validation,
    current_task_file,
    designer_list,
    find_task,
    save_task,
    set_published,
)
from core.models import GLOBAL_CATALOGUE
from tests.support.catalogue import GUILD_A, GUILD_B
from tests.support.content_factories import task_document
from tests.support.databases import Sessions
from tests.support.learners import make_learner

SLUG = "echo-twice"


def _task(title: str = "Echo twice") -> TaskFile:
    return TaskFile.model_validate(task_document(SLUG, title=title))


async def test_publishing_needs_a_validated_version(sessions: Sessions) -> None:
    moderator = await make_learner(sessions, 1)
    async with session_scope(sessions) as session:
        await save_task(session, _task(), moderator, new=True, validated=False)
    async with session_scope(sessions) as session:
        with pytest.raises(DesignerRefused, match="has not passed validation"):
            await set_published(session, SLUG, True, moderator)
    async with session_scope(sessions) as session:
        await save_task(session, _task(), moderator, new=False, validated=True)
        task = await set_published(session, SLUG, True, moderator)
        assert task.published


async def test_a_published_task_takes_only_validated_changes(sessions: Sessions) -> None:
    moderator = await make_learner(sessions, 1)
    async with session_scope(sessions) as session:
        assert not changes_need_validation(None)
        await save_task(session, _task(), moderator, new=True, validated=True)
        draft = await find_task(session, SLUG)
        assert draft is not None
        assert not changes_need_validation(draft)
        published = await set_published(session, SLUG, True, moderator)
        assert changes_need_validation(published)
    async with session_scope(sessions) as session:
        with pytest.raises(DesignerRefused, match="must pass validation"):
            await save_task(session, _task("Changed"), moderator, new=False, validated=False)
    async with session_scope(sessions) as session:
        saved = await save_task(session, _task("Changed"), moderator, new=False, validated=True)
        assert saved.changed


async def test_an_unknown_task_is_missing_rather_than_refused(sessions: Sessions) -> None:
    moderator = await make_learner(sessions, 1)
    async with session_scope(sessions) as session:
        with pytest.raises(TaskMissing):
            await set_published(session, "nothing-here", True, moderator)
        with pytest.raises(TaskMissing):
            await save_task(session, _task(), moderator, new=False, validated=True)


async def test_each_owner_saves_and_publishes_its_own_task(sessions: Sessions) -> None:
    moderator = await make_learner(sessions, 1)
    async with session_scope(sessions) as session:
        for owner in (GUILD_A, GUILD_B):
            await save_task(
                session, _task(f"Echo of {owner}"), moderator, new=True, validated=True, owner=owner
            )
        await set_published(session, SLUG, True, moderator, owner=GUILD_B)
    async with session_scope(sessions) as session:
        with pytest.raises(TaskMissing):
            await set_published(session, SLUG, True, moderator)  # the shared catalogue has none
        with pytest.raises(TaskMissing):
            await save_task(session, _task(), moderator, new=False, validated=True)
        a, b = await find_task(session, SLUG, GUILD_A), await find_task(session, SLUG, GUILD_B)
        assert await find_task(session, SLUG) is None
        assert a is not None
        assert b is not None
        assert (a.title, a.published, b.title, b.published) == (
            f"Echo of {GUILD_A}",
            False,
            f"Echo of {GUILD_B}",
            True,
        )
        rows = await designer_list(session, [GUILD_B, GUILD_A])
        assert await designer_list(session) == []
    assert [(r.owner_guild_id, r.title, r.status) for r in rows] == [
        (GUILD_A, f"Echo of {GUILD_A}", Status.DRAFT),
        (GUILD_B, f"Echo of {GUILD_B}", Status.PUBLISHED),
    ]


async def test_a_server_task_cannot_take_a_shared_slug(sessions: Sessions) -> None:
    curator = await make_learner(sessions, 1)
    async with session_scope(sessions) as session:
        await save_task(session, _task("Shared"), curator, new=True, validated=True)
    async with session_scope(sessions) as session:
        with pytest.raises(DesignerRefused, match="shared catalogue; choose another slug"):
            await save_task(session, _task(), curator, new=True, validated=True, owner=GUILD_A)
        assert await find_task(session, SLUG, GUILD_A) is None


async def test_a_server_task_keeps_its_slug_when_the_shared_catalogue_takes_it(
    sessions: Sessions,
) -> None:
    moderator = await make_learner(sessions, 1)
    async with session_scope(sessions) as session:
        await save_task(session, _task("A's"), moderator, new=True, validated=True, owner=GUILD_A)
        await save_task(session, _task("Shared"), moderator, new=True, validated=True)
    async with session_scope(sessions) as session:
        saved = await save_task(
            session, _task("A's, edited"), moderator, new=False, validated=True, owner=GUILD_A
        )
        published = await set_published(session, SLUG, True, moderator, owner=GUILD_A)
        shared = await find_task(session, SLUG, GLOBAL_CATALOGUE)
    assert saved.changed
    assert (published.title, published.published) == ("A's, edited", True)
    assert shared is not None
    assert (shared.title, shared.published) == ("Shared", False)


async def test_saving_from_the_form_keeps_the_equivalent_mutants_marks(sessions: Sessions) -> None:
    moderator = await make_learner(sessions, 1)
    marks = [{"id": "constant-00000001", "why": "the line is never empty"}]
    marked = TaskFile.model_validate(task_document(SLUG, equivalent_mutants=marks))
    async with session_scope(sessions) as session:
        await save_task(session, marked, moderator, new=True, validated=False)
    async with session_scope(sessions) as session:
        await save_task(session, _task("Renamed"), moderator, new=False, validated=False)
    async with session_scope(sessions) as session:
        task = await find_task(session, SLUG)
        assert task is not None
        saved = await current_task_file(session, task)
    assert (saved.title, [m.model_dump() for m in saved.equivalent_mutants]) == ("Renamed", marks)
