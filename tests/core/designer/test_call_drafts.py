"""Call tasks in the designer: a test's steps are typed as JSON in its input cell, problems
in them are shown there, and a call task comes back from its rows unchanged."""

from __future__ import annotations

import json

from core.content.schema import TaskFile
from core.designer.checks import fill_expected
from core.designer.draft import draft_from_form, draft_of, task_of
from core.designer.lifecycle import _rebuilt
from core.models import Task, TestCase
from sandbox import CompareMode
from tests.support.content_factories import call_task_document
from tests.support.fake_grader import ScriptedGrader


def _task() -> TaskFile:
    return TaskFile.model_validate(call_task_document())


def test_a_call_task_round_trips_through_the_form() -> None:
    task = _task()
    draft = draft_of(task)
    assert draft.entry == "add"
    assert json.loads(draft.tests[0].input) == [{"args": [2, 3], "returns": 5}]
    assert draft.tests[0].output == ""
    again, errors = task_of(draft)
    assert errors == {}
    assert again is not None
    assert again.content_hash() == task.content_hash()


def test_the_form_reads_the_entry_and_the_steps() -> None:
    draft = draft_from_form(
        {
            "compare.mode": "call",
            "entry": "add",
            "tests[0].input": '[{"args": [1], "returns": 1}]',
            "tests[0].output": "",
        }
    )
    assert draft.document()["entry"] == "add"
    assert draft.document()["tests"] == [{"steps": [{"args": [1], "returns": 1}], "hidden": False}]


def test_problems_in_steps_are_shown_at_the_test_input() -> None:
    draft = draft_of(_task())
    draft.tests[0].input = "not json"
    draft.tests[1].input = '[{"method": "pop"}]'
    _, errors = task_of(draft)
    assert errors["tests[0].input"] == "Input should be a valid list"
    assert errors["tests[1].input"] == "steps[0] acts on an object no earlier step made"


def test_a_call_draft_without_an_entry_says_so() -> None:
    draft = draft_of(_task())
    draft.entry = ""
    _, errors = task_of(draft)
    assert "entry names what the tests call" in errors["(file)"]


async def test_filling_expected_outputs_leaves_call_tests_alone() -> None:
    task = _task()
    draft = draft_of(task)
    filled = await fill_expected(
        ScriptedGrader(), task.solution, draft.tests, task.limits, task.compare
    )
    assert filled.filled == 0
    assert [t.input for t in filled.tests] == [t.input for t in draft.tests]


def test_a_call_task_is_rebuilt_from_its_rows() -> None:
    task = _task()
    row = Task(
        slug=task.slug,
        title=task.title,
        difficulty=task.difficulty,
        points=task.awarded_points,
        statement=task.statement,
        template=task.template,
        solution=task.solution,
        wrong_solutions=[w.model_dump() for w in task.wrong_solutions],
        hints=[],
        time_limit_s=task.limits.time_s,
        memory_mb=task.limits.memory_mb,
        compare_mode=CompareMode.CALL,
        compare_tolerance=None,
        published=task.published,
        tags=[],
        tests=[
            TestCase(position=i, input=t.input, output=t.output, hidden=t.hidden)
            for i, t in enumerate(task.tests)
        ],
    )
    rebuilt = _rebuilt(row)
    assert rebuilt.entry == "add"
    assert rebuilt.model_dump(mode="json")["tests"] == task.model_dump(mode="json")["tests"]
