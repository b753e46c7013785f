"""Tasks of the shared catalogue or of one server, stored as the loader stores them."""

from __future__ import annotations

from typing import Any

from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.db import session_scope
from core.designer.lifecycle import find_task
from core.models import GLOBAL_CATALOGUE
from tests.support.content_factories import task_document
from tests.support.databases import Sessions

#: two servers with their own tasks (GUILD_A is tests.support.learners.GUILD)
GUILD_A = 1000
GUILD_B = 2000


async def add_task(
    sessions: Sessions,
    slug: str,
    owner: int = GLOBAL_CATALOGUE,
    *,
    published: bool = True,
    **changes: Any,
) -> int:
    """Store a validated task of `owner` (keyword arguments change the document); its id."""
    document = task_document(slug, published=published, **changes)
    async with session_scope(sessions) as session:
        await upsert_tasks(
            session, [TaskFile.model_validate(document)], validated=True, owner=owner
        )
        task = await find_task(session, slug, owner)
        assert task is not None
        return task.id
