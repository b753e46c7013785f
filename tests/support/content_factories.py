"""Small valid content documents for tests to start from and break."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def task_document(slug: str = "echo-twice", **changes: Any) -> dict[str, Any]:
    """A valid task document; keyword arguments replace top-level fields."""
    document: dict[str, Any] = {
        "slug": slug,
        "title": "Echo twice",
        "difficulty": "easy",
        "tags": ["strings"],
        "statement": "Read a line and print it twice.\n\nInput `a` prints `a` and `a`.",
        "template": "line = input()\n# your code here\n",
        "solution": "line = input()\nprint(line)\nprint(line)\n",
        "wrong_solutions": [{"code": "print(input())\n", "why": "prints once"}],
        "tests": [
            {"input": "a\n", "output": "a\na\n", "hidden": False},
            {"input": "xyz\n", "output": "xyz\nxyz\n", "hidden": True},
        ],
    }
    document.update(changes)
    return document


def achievement_document(slug: str = "first-blood", **changes: Any) -> dict[str, Any]:
    """A valid achievement document; keyword arguments replace top-level fields."""
    document: dict[str, Any] = {
        "slug": slug,
        "name": "First Blood",
        "description": "Solve your first task.",
        "emoji": "🩸",
        "condition": {"solved": 1},
        "role": "Solver",
    }
    document.update(changes)
    return document


def write_json(path: Path, document: Any) -> Path:
    """Write a document where a content folder expects it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def content_folder(root: Path, tasks: int = 2, achievements: int = 1) -> Path:
    """A content folder with some valid tasks and achievements."""
    folder = root / "data"
    for i in range(tasks):
        write_json(folder / "tasks" / f"task-{i}.json", task_document(f"task-{i}"))
    for i in range(achievements):
        write_json(folder / "achievements" / f"ach-{i}.json", achievement_document(f"ach-{i}"))
    return folder


def weak_task_document(slug: str = "count-positives") -> dict[str, Any]:
    """A task whose tests have no zero: the mutants `v >= 0` and `v > -1` of its reference
    pass them all, and the input `0` exposes both."""
    return task_document(
        slug,
        title="Count the positives",
        statement="Print how many of the numbers on the line are positive.\n\nExample: `1 2 3`.",
        solution="values = list(map(int, input().split()))\n"
        "print(sum(1 for v in values if v > 0))\n",
        wrong_solutions=[{"code": "print(len(input().split()))\n", "why": "counts all"}],
        tests=[
            {"input": "1 2 3\n", "output": "3\n", "hidden": False},
            {"input": "-1 5\n", "output": "1\n", "hidden": False},
            {"input": "-4 -2\n", "output": "0\n", "hidden": True},
            {"input": "7\n", "output": "1\n", "hidden": True},
        ],
    )


def call_task_document(slug: str = "add-numbers", **changes: Any) -> dict[str, Any]:
    """A valid call task: `add(a, b=0)`; keyword arguments replace top-level fields."""
    document = task_document(
        slug,
        title="Add numbers",
        statement="Write a function `add(a, b=0)` that returns `a + b`.",
        template="def add(a, b=0):\n    ...\n",
        solution="def add(a, b=0):\n    return a + b\n",
        wrong_solutions=[{"code": "def add(a, b=0):\n    return a - b\n", "why": "subtracts"}],
        compare={"mode": "call"},
        entry="add",
        tests=[
            {"steps": [{"args": [2, 3], "returns": 5}], "hidden": False},
            {"steps": [{"args": [4], "returns": 4}, {"args": [], "raises": "TypeError"}]},
            {"steps": [{"args": [1], "kwargs": {"b": -1}, "returns": 0}], "hidden": True},
        ],
    )
    document.update(changes)
    return document
