"""The task-file format of call tasks: entry and steps are checked where they are written, a
test keeps exactly what its author wrote, and only the calls reach the sandbox."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from core.content.call_tests import CallTestFile
from core.content.files import validation_problems
from core.content.schema import TaskFile
from tests.support.content_factories import call_task_document, task_document


def _problems(document: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        TaskFile.model_validate(document)
    return [f"{p.field}: {p.reason}" for p in validation_problems("t.json", caught.value)]


def test_a_call_task_sends_calls_and_keeps_expectations() -> None:
    task = TaskFile.model_validate(call_task_document())
    test = task.tests[1]
    assert isinstance(test, CallTestFile)
    assert json.loads(test.input) == {"entry": "add", "steps": [{"args": [4]}, {"args": []}]}
    assert json.loads(test.output) == [{"returns": 4}, {"raises": "TypeError"}]


def test_a_step_keeps_returns_null_and_gains_no_keys() -> None:
    tests = [{"steps": [{"args": [1], "returns": None}, {"args": [2]}], "hidden": False}]
    task = TaskFile.model_validate(call_task_document(tests=tests))
    dumped = task.model_dump(mode="json")["tests"][0]["steps"]
    assert dumped == [{"args": [1], "returns": None}, {"args": [2]}]


def test_entry_goes_with_call_mode_only() -> None:
    assert _problems(call_task_document(entry=None)) == [
        "(file): entry names what the tests call: given exactly with mode 'call'"
    ]
    assert _problems(task_document(entry="add")) == [
        "(file): entry names what the tests call: given exactly with mode 'call'"
    ]


def test_a_call_task_cannot_mix_in_stdin_tests() -> None:
    document = call_task_document()
    document["tests"].append({"input": "1\n", "output": "1\n"})
    assert _problems(document) == [
        "(file): tests: a call task's tests have steps; other tasks' have input and output"
    ]


@pytest.mark.parametrize(
    ("step", "problem"),
    [
        ({"method": "pop"}, "tests[0]: steps[0] acts on an object no earlier step made"),
        (
            {"args": [{"$step": 0}]},
            "tests[0]: steps[0] refers to a step that does not come before it",
        ),
        ({"apply": "explode"}, "tests[0].steps[0]: unknown apply 'explode'"),
        (
            {"returns": 1, "raises": "ValueError"},
            "tests[0].steps[0]: a step either returns or raises",
        ),
        ({"message": "m"}, "tests[0].steps[0]: message is the message of the exception in raises"),
        (
            {"args": [{"$lambda": "x: x +"}]},
            "tests[0].steps[0]: $lambda 'x: x +' is not a lambda: invalid syntax",
        ),
        (
            {"apply": "pipe", "on": 0, "args": [1]},
            "tests[0].steps[0]: apply 'pipe' takes one argument, a {\"$lambda\": ...} function",
        ),
        ({"raises": "not a name"}, "tests[0].steps[0].raises: String should match pattern"),
    ],
)
def test_a_bad_step_is_named_where_it_is(step: dict[str, Any], problem: str) -> None:
    document = call_task_document(tests=[{"steps": [step]}])
    assert any(found.startswith(problem) for found in _problems(document)), _problems(document)


def test_the_entry_is_part_of_the_fingerprint() -> None:
    renamed = TaskFile.model_validate(call_task_document(entry="plus"))
    assert TaskFile.model_validate(call_task_document()).content_hash() != renamed.content_hash()
