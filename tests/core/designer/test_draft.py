"""The designer's drafts: a task to form fields and back, without a site or a sandbox."""

from __future__ import annotations

from core.content.schema import TaskFile
from core.designer.draft import MAX_ROWS, draft_from_form, draft_of, run_settings, task_of
from tests.support.content_factories import task_document


def test_a_task_shown_in_the_form_comes_back_unchanged() -> None:
    task = TaskFile.model_validate(
        task_document("round-trip", tags=["strings", "math"], compare={"mode": "float"})
    )
    again, errors = task_of(draft_of(task))
    assert errors == {}
    assert again is not None
    assert again.content_hash() == task.content_hash()


def test_browser_line_ends_and_row_numbers_are_read_as_meant() -> None:
    form = {
        "slug": "rows",
        "solution": "print(input())\r\n",
        "tests[10].input": "b\r\n",
        "tests[2].input": "a\r\n",
        "tests[2].hidden": "1",
        "tests[x].input": "ignored",
        "wrong_solutions[0].why": "  prints once ",
    }
    draft = draft_from_form(form)
    assert draft.solution == "print(input())\n"
    assert [(t.input, t.hidden) for t in draft.tests] == [("a\n", True), ("b\n", False)]
    assert draft.document()["wrong_solutions"] == [{"code": "", "why": "prints once"}]
    many = draft_from_form({f"tests[{n}].input": "1" for n in range(500)})
    assert len(many.tests) == MAX_ROWS


def test_errors_are_keyed_by_the_fields_of_the_form() -> None:
    draft = draft_of(TaskFile.model_validate(task_document()))
    draft.tags = "fine, Not-Fine"
    draft.tests[1].output = "x" * 1_000_001
    draft.wrong_solutions[0].code = ""
    task, errors = task_of(draft)
    assert task is None
    assert set(errors) == {"tags", "tests[1].output", "wrong_solutions[0].code"}


def test_running_needs_a_solution_and_sensible_limits() -> None:
    draft = draft_of(TaskFile.model_validate(task_document()))
    assert run_settings(draft)[0] is not None
    draft.solution = " "
    draft.memory_mb = "4096"
    settings, errors = run_settings(draft)
    assert settings is None
    assert set(errors) == {"solution", "limits.memory_mb"}
