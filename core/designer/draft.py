"""A task as a moderator types it: text fields that become a TaskFile, or errors by field.

Field keys are the paths of the task format (`title`, `limits.time_s`, `tests[2].output`,
`wrong_solutions[0].why`, `hints[1]`), so an error names the same place in the form and in a
JSON file. A call task's test is typed as its steps in JSON, in the test's input cell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from core.content.call_tests import CallTestFile
from core.content.files import validation_problems
from core.content.schema import Compare, Difficulty, Limits, TaskFile, TestCaseFile
from sandbox import CompareMode

#: Where errors that belong to no single field are shown.
GENERAL = "(file)"
#: Rows a form may send; more is refused before anything else is read.
MAX_ROWS = 100


@dataclass(slots=True)
class DraftTest:
    """One row of the test table."""

    input: str = ""
    output: str = ""
    hidden: bool = False


@dataclass(slots=True)
class DraftWrong:
    """One wrong solution and why it is wrong."""

    code: str = ""
    why: str = ""


@dataclass(slots=True)
class TaskDraft:
    """Everything the designer form holds, exactly as typed."""

    slug: str = ""
    title: str = ""
    difficulty: str = Difficulty.EASY
    points: str = ""
    tags: str = ""
    statement: str = ""
    template: str = ""
    solution: str = ""
    time_s: str = "2.0"
    memory_mb: str = "64"
    compare_mode: str = CompareMode.EXACT
    tolerance: str = ""
    #: the function or class a call task's tests call
    entry: str = ""
    published: bool = False
    wrong_solutions: list[DraftWrong] = field(default_factory=lambda: [DraftWrong()])
    tests: list[DraftTest] = field(default_factory=lambda: [DraftTest()])
    #: hints in the order learners reveal them
    hints: list[str] = field(default_factory=list)

    @property
    def calls(self) -> bool:
        """True when the tests call the entry instead of giving input."""
        return self.compare_mode == CompareMode.CALL

    def document(self) -> dict[str, Any]:
        """The task document these values make; the TaskFile model judges it."""
        document = {
            "slug": self.slug.strip(),
            "title": self.title.strip(),
            "difficulty": self.difficulty,
            "points": self.points.strip() or None,
            "tags": tags_of(self.tags),
            "statement": self.statement,
            "template": self.template,
            "solution": self.solution,
            "wrong_solutions": [
                {"code": w.code, "why": w.why.strip()} for w in self.wrong_solutions
            ],
            "limits": {"time_s": self.time_s.strip(), "memory_mb": self.memory_mb.strip()},
            "compare": {
                "mode": self.compare_mode,
                "tolerance": self.tolerance.strip() or None,
            },
            "tests": [self._test(t) for t in self.tests],
            "hints": self.hints,
            "published": self.published,
        }
        if self.calls or self.entry.strip():
            document["entry"] = self.entry.strip() or None
        return document

    def _test(self, test: DraftTest) -> dict[str, Any]:
        """One test row as the task format has it: a call test's input cell holds its steps."""
        if not self.calls:
            return {"input": test.input, "output": test.output, "hidden": test.hidden}
        try:
            steps = json.loads(test.input)
        except ValueError:
            steps = test.input  # the format refuses it, at this test's input
        return {"steps": steps, "hidden": test.hidden}


def tags_of(text: str) -> list[str]:
    """Tags typed as one line, separated by commas or spaces, in the order given."""
    return [tag for tag in text.replace(",", " ").split() if tag]


def normalize_newlines(text: str) -> str:
    """Browsers send text areas with CRLF line ends; programs and tests use LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def draft_of(task: TaskFile) -> TaskDraft:
    """The form values showing an existing task."""
    return TaskDraft(
        slug=task.slug,
        title=task.title,
        difficulty=task.difficulty.value,
        points=str(task.awarded_points),
        tags=", ".join(task.tags),
        statement=task.statement,
        template=task.template,
        solution=task.solution,
        time_s=str(task.limits.time_s),
        memory_mb=str(task.limits.memory_mb),
        compare_mode=task.compare.mode,
        tolerance="" if task.compare.tolerance is None else str(task.compare.tolerance),
        entry=task.entry or "",
        published=task.published,
        wrong_solutions=[DraftWrong(w.code, w.why) for w in task.wrong_solutions],
        tests=[_draft_test(t) for t in task.tests],
        hints=list(task.hints),
    )


def _draft_test(test: TestCaseFile | CallTestFile) -> DraftTest:
    """A test as a row of the form: a call test's steps as JSON in its input cell."""
    if isinstance(test, CallTestFile):
        steps = [step.document() for step in test.steps]
        return DraftTest(json.dumps(steps, ensure_ascii=False), "", test.hidden)
    return DraftTest(test.input, test.output, test.hidden)


def _error_key(path: str) -> str:
    """The form field an error belongs to: list items of `tags` belong to the tags line, and
    whatever is wrong in a call test's steps to its input cell."""
    if path.startswith("tags["):
        return "tags"
    if re.fullmatch(r"tests\[\d+\](\.steps.*)?", path):
        return path.partition("]")[0] + "].input"
    return path


def task_of(draft: TaskDraft) -> tuple[TaskFile | None, dict[str, str]]:
    """Validate the draft with the task format: the task, or errors keyed by field."""
    try:
        return TaskFile.model_validate(draft.document()), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for problem in validation_problems("form", exc):
            key = _error_key(problem.field)
            errors[key] = f"{errors[key]} {problem.reason}" if key in errors else problem.reason
        return None, errors


def run_settings(draft: TaskDraft) -> tuple[tuple[Limits, Compare] | None, dict[str, str]]:
    """The limits and comparison a draft runs programs with, or errors keyed by field."""
    document = draft.document()
    errors: dict[str, str] = {}
    if not draft.solution.strip():
        errors["solution"] = "Write the reference solution first: it computes the outputs."
    try:
        limits = Limits.model_validate(document["limits"])
        compare = Compare.model_validate(document["compare"])
    except ValidationError as exc:
        section = "limits" if exc.title == Limits.__name__ else "compare"
        for problem in validation_problems(section, exc):
            key = section if problem.field == GENERAL else f"{section}.{problem.field}"
            errors[key] = problem.reason
        return None, errors
    return (None if errors else (limits, compare)), errors


def _rows(form: Mapping[str, str], prefix: str, limit: int) -> list[int]:
    """The row numbers a form sent for `prefix[n].…`, in order, at most `limit`."""
    numbers: set[int] = set()
    for key in form:
        head, bracket, rest = key.partition("[")
        number = rest.partition("]")[0]
        if head == prefix and bracket and number.isdigit() and len(number) <= 4:
            numbers.add(int(number))
    return sorted(numbers)[:limit]


def draft_from_form(form: Mapping[str, str]) -> TaskDraft:
    """Read the designer form's fields (named by their paths) into a draft."""

    def text(key: str, default: str = "") -> str:
        return normalize_newlines(form.get(key, default))

    return TaskDraft(
        slug=text("slug"),
        title=text("title"),
        difficulty=text("difficulty", Difficulty.EASY),
        points=text("points"),
        tags=text("tags"),
        statement=text("statement"),
        template=text("template"),
        solution=text("solution"),
        time_s=text("limits.time_s"),
        memory_mb=text("limits.memory_mb"),
        compare_mode=text("compare.mode", CompareMode.EXACT),
        tolerance=text("compare.tolerance"),
        entry=text("entry"),
        wrong_solutions=[
            DraftWrong(
                text(f"wrong_solutions[{n}].code"),
                text(f"wrong_solutions[{n}].why"),
            )
            for n in _rows(form, "wrong_solutions", MAX_ROWS)
        ],
        tests=[
            DraftTest(
                text(f"tests[{n}].input"),
                text(f"tests[{n}].output"),
                form.get(f"tests[{n}].hidden") == "1",
            )
            for n in _rows(form, "tests", MAX_ROWS)
        ],
        hints=[text(f"hints[{n}]") for n in _rows(form, "hints", MAX_ROWS)],
    )
