"""Reading content files and reporting every problem as file, field and reason."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import ValidationError

from core.content.schema import CALL_TEST, STDIN_TEST, AchievementFile, TaskFile

ModelT = TypeVar("ModelT", TaskFile, AchievementFile)

MAX_FILE_BYTES = 5_000_000


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one content file."""

    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Parsed(Generic[ModelT]):
    """A content file that passed validation."""

    path: Path
    item: ModelT


@dataclass(slots=True)
class ContentSet:
    """Everything read from a content folder, with every problem found."""

    tasks: list[Parsed[TaskFile]]
    achievements: list[Parsed[AchievementFile]]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        """True when no file has a problem."""
        return not self.problems


def _field_path(location: Iterable[int | str]) -> str:
    parts: list[str] = []
    for part in location:
        if part in (STDIN_TEST, CALL_TEST):  # which format of test: not a field
            continue
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else part)
    return "".join(parts) or "(file)"


def validation_problems(name: str, error: ValidationError) -> list[Problem]:
    """Turn a pydantic error into one problem per failing field."""
    return [
        Problem(name, _field_path(e["loc"]), e["msg"].removeprefix("Value error, "))
        for e in error.errors(include_url=False)
    ]


def parse_document(
    name: str, raw: bytes, model: type[ModelT]
) -> tuple[ModelT | None, list[Problem]]:
    """Decode and validate one JSON document; the result or the problems, never both."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(name, "(file)", f"larger than {MAX_FILE_BYTES} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, "(file)", f"not UTF-8 (byte {exc.start})")]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [
            Problem(
                name, "(file)", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
            )
        ]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, validation_problems(name, exc)


def _read_folder(
    folder: Path, model: type[ModelT], root: Path
) -> tuple[list[Parsed[ModelT]], list[Problem]]:
    parsed: list[Parsed[ModelT]] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        name = _display_name(path, root)
        item, found = parse_document(name, path.read_bytes(), model)
        problems.extend(found)
        if item is None:
            continue
        if item.slug != path.stem:
            problems.append(
                Problem(name, "slug", f"'{item.slug}' must match the file name '{path.stem}'")
            )
            continue
        parsed.append(Parsed(path, item))
    return parsed, problems


def _display_name(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def read_content(content_dir: Path) -> ContentSet:
    """Read and validate `tasks/` and `achievements/` under a content folder."""
    root = content_dir.parent
    if not content_dir.is_dir():
        return ContentSet([], [], [Problem(str(content_dir), "(folder)", "no such folder")])
    tasks, task_problems = _read_folder(content_dir / "tasks", TaskFile, root)
    achievements, achievement_problems = _read_folder(
        content_dir / "achievements", AchievementFile, root
    )
    return ContentSet(tasks, achievements, task_problems + achievement_problems)
