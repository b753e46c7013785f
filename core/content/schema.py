"""The file formats of `data/tasks/*.json` and `data/achievements/*.json`.

Field names are an interface: moderators, tools and tests rely on them.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import Tag as Variant
from pydantic_core import InitErrorDetails, PydanticCustomError

from core.content.call_tests import CallTestFile
from core.content.hint_rules import hint_problems
from sandbox import CompareMode

Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$", max_length=64)
]
Tag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")]

MAX_TEST_BYTES = 1_000_000
#: hints a task may carry, revealed one at a time and each costing points
MAX_HINTS = 5
MAX_HINT_CHARS = 500
Hint = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_HINT_CHARS),
    Field(description="One hint, in Markdown; leading and trailing spaces are dropped."),
]
MAX_MEMORY_MB = 256
#: the longest per-test time limit a task may set
MAX_TIME_S = 10.0


class Difficulty(StrEnum):
    """How hard a task is; decides its default points."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"

    @property
    def default_points(self) -> int:
        """Points for a first solve unless the task says otherwise."""
        return _DEFAULT_POINTS[self]

    @property
    def label(self) -> str:
        """The difficulty as people read it: Easy, Medium or Hard."""
        return self.value.capitalize()


_DEFAULT_POINTS = {Difficulty.EASY: 10, Difficulty.MEDIUM: 20, Difficulty.HARD: 40}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class WrongSolution(_Strict):
    """A plausible but wrong program; the tests must catch it."""

    code: str = Field(min_length=1)
    why: str = Field(min_length=1, max_length=200)
    slow: bool = Field(
        default=False,
        description="A correct but naive program that only the time limit rejects; "
        "`codestreak content timing` compares its time with the reference's.",
    )


class EquivalentMutant(_Strict):
    """A mutant of the reference that behaves like it on every valid input, so no test can
    kill it (see `core.content.mutate`); it does not count against the kill rate."""

    id: str = Field(min_length=1, max_length=64)
    why: str = Field(min_length=1, max_length=300)


class Limits(_Strict):
    """Per-test resource limits of a task."""

    time_s: float = Field(default=2.0, gt=0, le=MAX_TIME_S)
    memory_mb: int = Field(default=64, ge=16, le=MAX_MEMORY_MB)


class Compare(_Strict):
    """How a program's output is compared with the expected output."""

    mode: CompareMode = CompareMode.EXACT
    tolerance: float | None = Field(default=None, gt=0, lt=1)

    @model_validator(mode="after")
    def _tolerance_only_for_floats(self) -> Compare:
        is_float = self.mode is CompareMode.FLOAT
        if is_float and self.tolerance is None:
            self.tolerance = 1e-6
        if not is_float and self.mode is not CompareMode.CALL and self.tolerance is not None:
            raise ValueError("tolerance is only used with modes 'float' and 'call'")
        return self


class TestCaseFile(_Strict):
    """One test: stdin given to the program and the stdout expected from it."""

    __test__ = False  # not a pytest class

    input: str = Field(max_length=MAX_TEST_BYTES)
    output: str = Field(max_length=MAX_TEST_BYTES)
    hidden: bool = False


#: the names of the two formats of a test (they show in validation errors' locations)
STDIN_TEST, CALL_TEST = "stdin", "call"


def _test_kind(test: Any) -> str:
    """Which format a test is written in: steps (a call test) or stdin and stdout."""
    steps = test.get("steps") if isinstance(test, dict) else getattr(test, "steps", None)
    return STDIN_TEST if steps is None else CALL_TEST


class TaskFile(_Strict):
    """A task as stored in `data/tasks/<slug>.json`."""

    slug: Slug
    title: str = Field(min_length=1, max_length=120)
    difficulty: Difficulty
    points: int | None = Field(default=None, ge=1, le=1000)
    tags: list[Tag] = Field(default_factory=list, max_length=8)
    statement: str = Field(min_length=1, max_length=20_000)
    template: str = ""
    solution: str = Field(min_length=1)
    wrong_solutions: list[WrongSolution] = Field(min_length=1)
    limits: Limits = Field(default_factory=Limits)
    compare: Compare = Field(default_factory=Compare)
    entry: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        max_length=64,
        description="The function or class the tests call; only with compare mode 'call'.",
    )
    tests: list[
        Annotated[
            Annotated[TestCaseFile, Variant(STDIN_TEST)]
            | Annotated[CallTestFile, Variant(CALL_TEST)],
            Discriminator(_test_kind),
        ]
    ] = Field(min_length=1, max_length=100)
    #: ordered nudges toward the solution, from gentle to almost-there (see `core.hints`)
    hints: list[Hint] = Field(
        default_factory=list,
        max_length=MAX_HINTS,
        description="Hints learners reveal one at a time, in this order, from a gentle nudge "
        "to almost the answer; each revealed hint costs a share of the task's points. Distinct, "
        "and none may repeat the reference solution.",
    )
    equivalent_mutants: list[EquivalentMutant] = Field(
        default_factory=list,
        max_length=100,
        description="Mutants of the reference (by id, see `codestreak content mutate`) that no "
        "test can kill because they behave like it on every valid input, each with the reason.",
    )
    published: bool = True

    @field_validator("hints")
    @classmethod
    def _hints_nudge(cls, hints: list[str], info: ValidationInfo) -> list[str]:
        """Refuse repeated hints and hints that give the reference solution away, each at its
        own place (`hints[1]`)."""
        problems = hint_problems(hints, info.data.get("solution") or "")
        if problems:
            raise ValidationError.from_exception_data(
                cls.__name__,
                [
                    InitErrorDetails(
                        type=PydanticCustomError("hint", "{reason}", {"reason": reason}),
                        loc=(index,),
                        input=hints[index],
                    )
                    for index, reason in problems
                ],
            )
        return hints

    @model_validator(mode="after")
    def _fill_points_and_check_tests(self) -> TaskFile:
        if self.points is None:
            self.points = self.difficulty.default_points
        if all(test.hidden for test in self.tests):
            raise ValueError("tests: at least one test must be visible, as an example")
        calls = self.compare.mode is CompareMode.CALL
        if calls != (self.entry is not None):
            raise ValueError("entry names what the tests call: given exactly with mode 'call'")
        kind = CallTestFile if calls else TestCaseFile
        if not all(isinstance(test, kind) for test in self.tests):
            raise ValueError(
                "tests: a call task's tests have steps; other tasks' have input and output"
            )
        for test in self.tests:
            if isinstance(test, CallTestFile):
                test.bind(self.entry or "")
        return self

    @property
    def awarded_points(self) -> int:
        """Points for a first solve (explicit or by difficulty)."""
        return self.points if self.points is not None else self.difficulty.default_points

    def content_hash(self) -> str:
        """A stable fingerprint of the whole task, used to detect changes on load. A task
        without hints, equivalent mutants or slow wrong solutions keeps the fingerprint it had
        before tasks could carry them."""
        document = self.model_dump(mode="json")
        for optional in ("hints", "equivalent_mutants"):
            if not document[optional]:
                del document[optional]
        if document["entry"] is None:
            del document["entry"]
        for wrong in document["wrong_solutions"]:
            if not wrong["slow"]:
                del wrong["slow"]
        return _fingerprint(document)


class Condition(_Strict):
    """An achievement condition; exactly one key is set.

    `all` combines conditions; the others compare a learner's statistic with a threshold.
    """

    points: int | None = Field(default=None, ge=1)
    solved: int | None = Field(default=None, ge=1)
    streak: int | None = Field(default=None, ge=1)
    solved_difficulty: dict[Difficulty, Annotated[int, Field(ge=1)]] | None = None
    first_try: int | None = Field(default=None, ge=1)
    daily: int | None = Field(default=None, ge=1)
    all: list[Condition] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        given = [name for name, value in self if value is not None]
        if len(given) != 1:
            raise ValueError(
                "a condition has exactly one of points, solved, streak, solved_difficulty, "
                f"first_try, daily, all (got {', '.join(given) or 'none'})"
            )
        if self.solved_difficulty is not None and not self.solved_difficulty:
            raise ValueError("solved_difficulty needs at least one difficulty")
        return self


class AchievementFile(_Strict):
    """An achievement as stored in `data/achievements/<slug>.json`."""

    slug: Slug
    name: str = Field(min_length=1, max_length=64)
    description: str = Field(min_length=1, max_length=255)
    emoji: str = Field(min_length=1, max_length=16)
    condition: Condition
    role: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Suggested name of the Discord role; a role is granted only where a "
        "moderator mapped one to the achievement (/mod role).",
    )

    def content_hash(self) -> str:
        """A stable fingerprint of the whole achievement, used to detect changes on load."""
        return _fingerprint(self.model_dump(mode="json", exclude_none=True))


def _fingerprint(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()
