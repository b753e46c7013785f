"""A call task's visible tests are shown with its statement as Python: the calls, and what
each should return or raise."""

from __future__ import annotations

from core.catalog import task_detail
from tests.support.catalogue import add_task
from tests.support.content_factories import call_task_document
from tests.support.databases import Sessions


async def test_a_call_task_shows_its_calls_as_examples(sessions: Sessions) -> None:
    document = call_task_document()
    await add_task(sessions, "add-numbers", **{k: v for k, v in document.items() if k != "slug"})
    async with sessions() as session:
        detail = await task_detail(session, "add-numbers")
    assert detail is not None
    assert [(e.input, e.output) for e in detail.examples] == [
        ("add(2, 3)", "5"),
        ("add(4)\nadd()", "4\nraises TypeError"),
    ]
    assert detail.hidden_tests == 1
