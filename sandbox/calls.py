"""Call tests on the host: the script sent into the sandbox, and the comparison of what each
call returned or raised with what the test expects.

A call test is a list of steps. The first step usually calls the task's entry (a function or a
class); later steps call a `method` of the object it returned, or `apply` an operation to it
(`repr`, `len`, `list`, `next`, `eq`, `with`, `call`… see `sandbox.loader.APPLY`). Arguments
are JSON, `{"$step": i}` for the value of step i, or `{"$lambda": "x: x * 2"}`. Only the calls
enter the container (`script`); the expectations (`expectations`) stay here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from sandbox.compare import CompareMode, Comparison
from sandbox.difference import Difference, DiffUnit, excerpt
from sandbox.loader import APPLY, LAMBDA, SHOWN_LIMIT, STEP_REF
from sandbox.result import TestCase

#: the keys of a step that describe the call; the others are its expectation
CALL_KEYS = ("args", "kwargs", "method", "apply", "on")
EXPECT_KEYS = ("returns", "raises", "message")
#: how an `apply` step reads in Python, `{x}` the object and `{a}` its first argument
APPLY_TEXT = {
    "eq": "{x} == {a}",
    "ne": "{x} != {a}",
    "lt": "{x} < {a}",
    "le": "{x} <= {a}",
    "add": "{x} + {a}",
    "contains": "{a} in {x}",
    "getitem": "{x}[{a}]",
    "take": "list(islice({x}, {a}))",
}
ANYTHING = "(returns normally)"


class CallsUnreadable(Exception):
    """The program ended without reporting its calls (it exited early or wrote garbage)."""


def script(entry: str, steps: list[dict[str, Any]]) -> str:
    """The JSON sent into the sandbox for one test: the entry and each step's call only."""
    calls = [{key: step[key] for key in CALL_KEYS if key in step} for step in steps]
    return json.dumps({"entry": entry, "steps": calls}, ensure_ascii=False)


def expectations(steps: list[dict[str, Any]]) -> str:
    """The JSON kept on the host for one test: each step's expectation."""
    kept = [{key: step[key] for key in EXPECT_KEYS if key in step} for step in steps]
    return json.dumps(kept, ensure_ascii=False)


def steps_of(sent: str, expected: str) -> tuple[str, list[dict[str, Any]]]:
    """The entry and the whole steps (calls with their expectations) of a stored call test:
    what `script` and `expectations` split."""
    request = json.loads(sent)
    wanted: list[dict[str, Any]] = json.loads(expected)
    steps = [{**call, **want} for call, want in zip(request["steps"], wanted, strict=True)]
    return str(request["entry"]), steps


def readable_text(sent: str, expected: str) -> tuple[str, str]:
    """A call test as people read it: its calls as lines of Python, and what each should
    return or raise, line by line."""
    entry, steps = steps_of(sent, expected)
    return "\n".join(call_lines(entry, steps)), "\n".join(_expected_text(s) for s in steps)


def readable_cases(cases: Sequence[TestCase], comparison: Comparison) -> list[TestCase]:
    """The cases as a learner is shown them: visible call tests as Python, others as they are
    (a hidden test's input and expected value are never shown)."""
    if comparison.mode is not CompareMode.CALL:
        return list(cases)
    return [
        case
        if case.hidden
        else case.model_copy(
            update=dict(
                zip(("input", "expected"), readable_text(case.input, case.expected), strict=True)
            )
        )
        for case in cases
    ]


def read_results(data: bytes | None, steps: int) -> list[dict[str, Any]]:
    """The results the loader reported, one per step; CallsUnreadable when they are not."""
    try:
        results = json.loads(data or b"")
    except (ValueError, RecursionError):  # a program may write anything there
        results = None
    if not isinstance(results, list) or len(results) != steps:
        raise CallsUnreadable(
            "the program ended before the tests' calls finished (exit() or os._exit at import "
            "time?), or wrote over their results"
        )
    if not all(isinstance(result, dict) for result in results):
        raise CallsUnreadable("the results of the calls are malformed")
    return results


def call_difference(
    sent: str, expected: str, data: bytes | None, tolerance: float | None
) -> Difference | None:
    """Where the calls' results first differ from the expectations; None when all match.

    Raises CallsUnreadable when the program did not report its calls.
    """
    request = json.loads(sent)
    steps: list[dict[str, Any]] = request["steps"]
    wanted: list[dict[str, Any]] = json.loads(expected)
    results = read_results(data, len(steps))
    for index, (want, got) in enumerate(zip(wanted, results, strict=True)):
        if not _meets(got, want, tolerance):
            lines = call_lines(str(request["entry"]), steps)
            expected_lines = [
                f"{line}  → {_expected_text(w)}" for line, w in zip(lines, wanted, strict=True)
            ]
            actual_lines = [
                f"{line}  → {_actual_text(r)}" for line, r in zip(lines, results, strict=True)
            ]
            return Difference(
                unit=DiffUnit.CALL,
                position=index + 1,
                expected=excerpt(expected_lines[: index + 1], index, 0),
                actual=excerpt(actual_lines[: index + 1], index, 0),
                expected_item=_expected_text(want),
                actual_item=_actual_text(got),
                tolerance=tolerance if _has_float(want.get("returns")) else None,
            )
    return None


def _meets(result: dict[str, Any], want: dict[str, Any], tolerance: float | None) -> bool:
    """Tell whether one call's result is what the step expects."""
    raised = result.get("raised")
    if "raises" in want:
        return (
            isinstance(raised, list)
            and want["raises"] in raised
            and ("message" not in want or result.get("message") == want["message"])
        )
    if raised is not None:
        return False
    if "returns" in want:
        return "value" in result and same_value(result["value"], want["returns"], tolerance)
    return True


def same_value(actual: Any, expected: Any, tolerance: float | None) -> bool:
    """JSON values equal in type and value; numbers where either is a float may differ by
    `tolerance` (absolute or relative), and True is not 1."""
    numbers = (int, float)
    if float in (type(actual), type(expected)):
        if type(actual) not in numbers or type(expected) not in numbers:
            return False
        return math.isclose(actual, expected, rel_tol=tolerance or 0.0, abs_tol=tolerance or 0.0)
    if type(actual) is not type(expected):
        return False
    if isinstance(expected, list):
        return len(actual) == len(expected) and all(
            same_value(a, e, tolerance) for a, e in zip(actual, expected, strict=True)
        )
    if isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(
            same_value(actual[key], value, tolerance) for key, value in expected.items()
        )
    return bool(actual == expected)


def _has_float(value: Any) -> bool:
    """Tell whether a JSON value holds a float anywhere."""
    if isinstance(value, list):
        return any(_has_float(item) for item in value)
    if isinstance(value, dict):
        return any(_has_float(item) for item in value.values())
    return type(value) is float


def _expected_text(want: dict[str, Any]) -> str:
    """An expectation as a learner reads it: a Python value, or the exception to raise."""
    if "raises" in want:
        message = f": {want['message']}" if "message" in want else ""
        return f"raises {want['raises']}{message}"
    return repr(want["returns"]) if "returns" in want else ANYTHING


def _actual_text(result: dict[str, Any]) -> str:
    """What a call did: the repr of its value, or the exception it raised."""
    raised = result.get("raised")
    if isinstance(raised, list) and raised:
        message = result.get("message")
        text = f"raised {raised[0]}" + (f": {message}" if message else "")
    else:
        text = str(result.get("repr", "?"))
    return text if len(text) <= SHOWN_LIMIT else text[: SHOWN_LIMIT - 1] + "…"


def call_lines(entry: str, steps: list[dict[str, Any]]) -> list[str]:
    """Each step as a line of Python: `x = Stack()`, `x.push(1)`, `len(x)`…"""
    names: dict[int, str] = {}
    constructions = [i for i, step in enumerate(steps) if _is_call(step)]
    for number, index in enumerate(constructions, 1):
        names[index] = "x" if len(constructions) == 1 else f"x{number}"
    used = {i for i, step in enumerate(steps) if not _is_call(step)}
    referenced = {int(step["on"]) for step in steps if "on" in step} | {
        int(arg[STEP_REF]) for step in steps for arg in _arguments(step) if _is_ref(arg)
    }
    lines = []
    current = "x"
    for index, step in enumerate(steps):
        target = names.get(int(step["on"]), f"v{int(step['on']) + 1}") if "on" in step else current
        args = [_argument_text(arg, names) for arg in _arguments(step)]
        args += [
            f"{key}={_argument_text(value, names)}" for key, value in step.get("kwargs", {}).items()
        ]
        if "method" in step:
            text = f"{target}.{step['method']}({', '.join(args)})"
        elif step.get("apply") == "with":
            raw = _arguments(step)
            body = f"raise {raw[0]}({', '.join(args[1:])})" if raw else "pass"
            text = f"with {target}: {body}"
        elif "apply" in step:
            text = _apply_text(str(step["apply"]), target, args)
        else:
            text = f"{entry}({', '.join(args)})"
            current = names[index]
        if index in referenced and index not in names:
            names[index] = f"v{index + 1}"
        if index in names and (index in referenced or any(u > index for u in used)):
            text = f"{names[index]} = {text}"
        lines.append(text)
    return lines


def _is_call(step: dict[str, Any]) -> bool:
    """A step that calls the entry (its value is the object later steps act on)."""
    return "method" not in step and "apply" not in step


def _arguments(step: dict[str, Any]) -> list[Any]:
    args = step.get("args", [])
    return args if isinstance(args, list) else []


def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {STEP_REF}


def is_lambda(value: Any) -> bool:
    """Tell whether an argument is a function the task wrote, `{"$lambda": "x: x * 2"}`."""
    return isinstance(value, dict) and set(value) == {LAMBDA}


def _argument_text(value: Any, names: dict[int, str]) -> str:
    """An argument as Python: a literal, the name of an earlier value, or a lambda."""
    if _is_ref(value):
        index = int(value[STEP_REF])
        return names.get(index, f"v{index + 1}")
    if is_lambda(value):
        return f"lambda {value[LAMBDA]}"
    return repr(value)


def _apply_text(operation: str, target: str, args: list[str]) -> str:
    """An `apply` step as Python."""
    if operation in APPLY_TEXT:
        return APPLY_TEXT[operation].format(x=target, a=args[0] if args else "")
    if operation == "call":
        return f"{target}({', '.join(args)})"
    if operation == "pipe":
        return f"({args[0] if args else '?'})({target})"
    if operation == "getattr":
        return f"{target}.{args[0].strip(chr(39))}" if args else target
    return f"{operation}({', '.join([target, *args])})"


def operations() -> frozenset[str]:
    """The names a step's `apply` may use."""
    return frozenset(APPLY)
