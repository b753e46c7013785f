"""A task's life in the designer: only validated versions reach learners."""

from __future__ import annotations

import pytest

from core.content.schema import TaskFile
from core.db import session_scope
from core.designer.lifecycle import (
    DesignerRefused,
    TaskMissing,
    changes_need_validation,
    find_task,
    save_task,
    set_published,
)
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
