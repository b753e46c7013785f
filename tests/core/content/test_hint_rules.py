"""What a task's hints may say: trimmed text, no repeats, never the reference solution."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.content.files import read_content
from core.content.hint_rules import hint_problems, repeated_lines
from core.content.schema import MAX_HINTS, TaskFile
from tests.support.content_factories import content_folder, task_document, write_json

SOLUTION = """\
n = int(input())
total = 0
for i in range(1, n + 1):
    if i % 3 == 0:
        total += i
    else:
        pass
print(total)
"""


def _problems(tmp_path: Path, hints: object) -> list[tuple[str, str]]:
    folder = content_folder(tmp_path, tasks=0, achievements=0)
    write_json(folder / "tasks" / "hinted.json", task_document("hinted", hints=hints))
    return [(p.field, p.reason) for p in read_content(folder).problems]


def test_hints_are_trimmed_and_kept_in_order() -> None:
    task = TaskFile.model_validate(task_document(hints=["  Read one line.\n", "Print it twice."]))
    assert task.hints == ["Read one line.", "Print it twice."]


def test_a_task_without_hints_keeps_its_fingerprint() -> None:
    plain = TaskFile.model_validate(task_document())
    assert plain.content_hash() == TaskFile.model_validate(task_document(hints=[])).content_hash()
    hinted = TaskFile.model_validate(task_document(hints=["Read one line."]))
    assert hinted.content_hash() != plain.content_hash()


def test_a_blank_hint_is_refused_where_it_is(tmp_path: Path) -> None:
    assert _problems(tmp_path, ["Read one line.", " \n\t"]) == [
        ("hints[1]", "String should have at least 1 character")
    ]


def test_too_many_hints_are_refused(tmp_path: Path) -> None:
    hints = [f"Hint number {n}." for n in range(MAX_HINTS + 1)]
    ((field, reason),) = _problems(tmp_path, hints)
    assert field == "hints"
    assert f"at most {MAX_HINTS} items" in reason


def test_a_repeated_hint_is_refused_whatever_its_case_and_spacing(tmp_path: Path) -> None:
    hints = ["Read one line.", "Print it twice.", "read  ONE line."]
    assert _problems(tmp_path, hints) == [
        ("hints[2]", "repeats hint 1; each hint should add something")
    ]


def test_a_hint_that_repeats_the_solution_is_refused(tmp_path: Path) -> None:
    copied = "Like this:\n```python\nline = input()\nprint(line)\nprint(line)\n```"
    assert _problems(tmp_path, ["Read one line.", copied]) == [
        (
            "hints[1]",
            "repeats lines 1-3 of the reference solution; a hint nudges toward the answer "
            "without giving it",
        )
    ]


def test_three_consecutive_lines_leak_even_reformatted_and_around_trivial_lines() -> None:
    hint = "Almost there: `if i%3==0:`\n    total+=i\n  else:\n  pass\nprint( total )"
    assert repeated_lines(hint, SOLUTION) == (4, 8)


def test_fewer_lines_or_scattered_ones_are_fine() -> None:
    assert repeated_lines("Start with `n = int(input())` and `print(total)`.", SOLUTION) is None
    assert repeated_lines("total = 0\nfor i in range(1, n + 1):", SOLUTION) is None
    assert hint_problems(["Multiples of 3 are those where `i % 3 == 0`."], SOLUTION) == []


@pytest.mark.parametrize(
    "hint", ["Just `print(input()[::-1])`.", "print( input()[::-1] )", "`print(input()[::-1])`"]
)
def test_a_one_line_solution_may_not_be_quoted_whole(hint: str) -> None:
    assert repeated_lines(hint, "print(input()[::-1])\n") == (1, 1)
    assert repeated_lines("Slices like `s[::-1]` reverse.", "print(input()[::-1])\n") is None


def test_comments_and_blank_lines_are_not_code() -> None:
    solution = "# read\nline = input()\n\n# echo it\nprint(line)\nprint(line)\n"
    assert repeated_lines("# read\n# echo it", solution) is None
    assert repeated_lines("line = input()\nprint(line)\nprint(line)", solution) == (2, 6)


def test_the_json_schema_describes_hints() -> None:
    schema = TaskFile.model_json_schema()["properties"]["hints"]
    assert "one at a time" in schema["description"]
    assert schema["maxItems"] == MAX_HINTS
    assert schema["items"]["minLength"] == 1
