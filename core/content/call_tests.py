"""The task-file format of call tests: steps that call the learner's function or class.

A call task (`"compare": {"mode": "call"}`, `"entry": "name"`) has tests like
`{"steps": [{"args": [2, 3], "returns": 5}]}`; see `sandbox.calls` for what a step does.
"""

from __future__ import annotations

from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from sandbox.calls import expectations, is_lambda, operations, script
from sandbox.loader import LAMBDA, STEP_REF

MAX_STEPS = 200
#: the operation that passes the object to a function the test writes
PIPE = "pipe"
IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"


def _check_lambda(source: object) -> None:
    """Refuse a `$lambda` that is not the text of a lambda (compiled only, never run here)."""
    if not isinstance(source, str):
        raise ValueError(f'a {LAMBDA} is the text after `lambda`, such as "x: x + 1"')
    try:
        compile(f"lambda {source}", "<$lambda>", "eval")
    except SyntaxError as exc:
        raise ValueError(f"{LAMBDA} {source!r} is not a lambda: {exc.msg}") from None


class CallStep(BaseModel):
    """One call: of the entry (no `method`, no `apply`), of a method of the object an earlier
    call returned, or an operation on it; with what it should return or raise (or neither:
    it must only not raise)."""

    model_config = ConfigDict(extra="forbid")

    args: list[Any] = Field(
        default_factory=list,
        description='JSON values; {"$step": i} is the value of step i, {"$lambda": "x: x + 1"} '
        "a function.",
    )
    kwargs: dict[str, Any] = Field(default_factory=dict, description="Keyword arguments.")
    method: str | None = Field(
        default=None,
        pattern=IDENTIFIER,
        max_length=64,
        description="Call this method of the object instead of the entry.",
    )
    apply: str | None = Field(
        default=None,
        description="Apply an operation to the object instead: "
        + ", ".join(sorted(operations()))
        + ".",
    )
    on: int | None = Field(
        default=None, ge=0, description="Act on the value of this step (default: the last call's)."
    )
    returns: Any = Field(default=None, description="The JSON value the call must return.")
    raises: str | None = Field(
        default=None,
        pattern=IDENTIFIER,
        max_length=64,
        description="The exception (or a base class of it) the call must raise.",
    )
    message: str | None = Field(default=None, description="The exact message of that exception.")

    @model_validator(mode="after")
    def _consistent(self) -> CallStep:
        if self.method is not None and self.apply is not None:
            raise ValueError("a step has a method or an apply, not both")
        if self.apply is not None and self.apply not in operations():
            raise ValueError(
                f"unknown apply {self.apply!r}; one of {', '.join(sorted(operations()))}"
            )
        if self.apply == PIPE and not (len(self.args) == 1 and is_lambda(self.args[0])):
            raise ValueError(f'apply {PIPE!r} takes one argument, a {{"{LAMBDA}": ...}} function')
        for value in [*self.args, *self.kwargs.values()]:
            if is_lambda(value):
                _check_lambda(value[LAMBDA])
        if "returns" in self.model_fields_set and self.raises is not None:
            raise ValueError("a step either returns or raises")
        if self.message is not None and self.raises is None:
            raise ValueError("message is the message of the exception in raises")
        return self

    @model_serializer(mode="wrap")
    def _only_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Dump only the keys the step was given: `returns: null` differs from no `returns`."""
        data: dict[str, Any] = handler(self)
        return {key: value for key, value in data.items() if key in self.model_fields_set}

    @property
    def acts_on_object(self) -> bool:
        """True when the step acts on an earlier call's value rather than calling the entry."""
        return self.method is not None or self.apply is not None

    def document(self) -> dict[str, Any]:
        """The step as written in the file (`returns: null` kept when given)."""
        return self.model_dump(mode="json")


class CallTestFile(BaseModel):
    """One call test: its steps, run in order in one process."""

    __test__ = False  # not a pytest class
    model_config = ConfigDict(extra="forbid")

    steps: list[CallStep] = Field(min_length=1, max_length=MAX_STEPS)
    hidden: bool = False
    _entry: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _references_earlier_steps(self) -> CallTestFile:
        made = False
        for index, step in enumerate(self.steps):
            refs = [step.on] if step.on is not None else []
            refs += [a[STEP_REF] for a in step.args if isinstance(a, dict) and STEP_REF in a]
            if any(not isinstance(ref, int) or ref >= index for ref in refs):
                raise ValueError(f"steps[{index}] refers to a step that does not come before it")
            if step.acts_on_object and step.on is None and not made:
                raise ValueError(f"steps[{index}] acts on an object no earlier step made")
            made = made or not step.acts_on_object
        return self

    def bind(self, entry: str) -> None:
        """Name the function or class the steps call (the task's `entry`)."""
        self._entry = entry

    @property
    def input(self) -> str:
        """What the sandbox receives: the entry and the calls, no expectations."""
        return script(self._entry, [step.document() for step in self.steps])

    @property
    def output(self) -> str:
        """What stays on the host: each step's expectation."""
        return expectations([step.document() for step in self.steps])
