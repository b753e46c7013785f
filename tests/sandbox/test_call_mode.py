"""Call tests in the real sandbox: the loader imports the program as `solution`, makes the
calls of each test and reports what they returned or raised; the host compares. Hostile
programs get the verdict they earned and never see an expected value."""

from __future__ import annotations

import pytest

from sandbox import DiffUnit, GradeResult, RunLimits, SandboxPool, TestCase, Verdict
from tests.support.call_cases import CALLS, call_case
from tests.support.sandbox import FAST, assert_healthy

pytestmark = [pytest.mark.docker, pytest.mark.asyncio(loop_scope="module")]

SHORT = RunLimits(time_s=0.5, memory_mb=32)
SECRET = "EXPECTED-VALUE-5f3a"
ADD = [
    call_case("add", {"args": [2, 3], "returns": 5}),
    call_case("add", {"args": [2], "returns": 2}, {"args": [1], "kwargs": {"b": 4}, "returns": 5}),
]
STACK = call_case(
    "Stack",
    {},
    {"method": "push", "args": [1]},
    {"apply": "len", "returns": 1},
    {"method": "pop", "returns": 1},
    {"method": "pop", "raises": "IndexError"},
    {"apply": "repr", "returns": "Stack([])"},
)
STACK_CODE = (
    "class Stack:\n"
    "    def __init__(self):\n        self.items = []\n"
    "    def push(self, x):\n        self.items.append(x)\n"
    "    def pop(self):\n        return self.items.pop()\n"
    "    def __len__(self):\n        return len(self.items)\n"
    "    def __repr__(self):\n        return f'Stack({self.items})'\n"
)


async def grade(
    pool: SandboxPool, code: str, cases: list[TestCase], limits: RunLimits = FAST
) -> GradeResult:
    """Grade `code` by its calls, check the next submission is fine, return the result."""
    result = await pool.grade(code, cases, CALLS, limits)
    await assert_healthy(pool)
    return result


async def test_a_function_with_default_and_keyword_arguments_is_accepted(
    pool: SandboxPool,
) -> None:
    result = await grade(pool, "def add(a, b=0):\n    return a + b\n", ADD)
    assert result.verdict is Verdict.ACCEPTED


async def test_a_class_is_driven_by_a_script_of_steps(pool: SandboxPool) -> None:
    result = await grade(pool, STACK_CODE, [STACK])
    assert result.verdict is Verdict.ACCEPTED


async def test_a_decorator_is_applied_to_a_test_function_and_the_result_called(
    pool: SandboxPool,
) -> None:
    twice = call_case(
        "twice",
        {"args": [{"$lambda": "x: x + 1"}]},
        {"apply": "call", "args": [5], "returns": 7},
    )
    right = "def twice(f):\n    return lambda x: f(f(x))\n"
    wrong = "def twice(f):\n    return f\n"
    assert (await grade(pool, right, [twice])).verdict is Verdict.ACCEPTED
    assert (await grade(pool, wrong, [twice])).verdict is Verdict.WRONG_ANSWER


async def test_a_task_function_receives_the_value_and_sees_the_programs_names(
    pool: SandboxPool,
) -> None:
    inherits = call_case(
        "Square",
        {"args": [2]},
        {"apply": "pipe", "args": [{"$lambda": "s: isinstance(s, Shape)"}], "returns": True},
    )
    base = "class Shape:\n    pass\n"
    right = base + "class Square(Shape):\n    def __init__(self, side):\n        self.side = side\n"
    alone = base + "class Square:\n    def __init__(self, side):\n        self.side = side\n"
    assert (await grade(pool, right, [inherits])).verdict is Verdict.ACCEPTED
    assert (await grade(pool, alone, [inherits])).verdict is Verdict.WRONG_ANSWER


async def test_a_returned_list_is_compared_as_it_was_when_returned(pool: SandboxPool) -> None:
    """A later step that changes the object a step returned does not change that step's value."""
    snapshot = call_case(
        "Stack",
        {},
        {"method": "push", "args": [1]},
        {"apply": "getattr", "args": ["items"], "returns": [1]},
        {"method": "push", "args": [2]},
        {"apply": "getattr", "args": ["items"], "returns": [1, 2]},
    )
    assert (await grade(pool, STACK_CODE, [snapshot])).verdict is Verdict.ACCEPTED


async def test_a_wrong_return_value_names_the_call_and_both_values(pool: SandboxPool) -> None:
    result = await grade(pool, "def add(a, b=0):\n    return a - b\n", ADD)
    assert result.verdict is Verdict.WRONG_ANSWER
    difference = result.tests[0].difference
    assert difference is not None
    assert difference.unit is DiffUnit.CALL
    assert difference.expected.lines == ("add(2, 3)  → 5",)
    assert difference.actual.lines == ("add(2, 3)  → -1",)


async def test_the_main_block_does_not_run_and_printing_does_not_matter(
    pool: SandboxPool,
) -> None:
    code = (
        "print('garbage', end='')\n"
        "def add(a, b=0):\n    print('more garbage')\n    return a + b\n"
        "if __name__ == '__main__':\n    raise SystemExit(3)\n"
    )
    result = await grade(pool, code, ADD)
    assert result.verdict is Verdict.ACCEPTED
    assert result.tests[0].stdout == "garbagemore garbage\n"


async def test_a_function_that_never_returns_exceeds_the_time_limit(pool: SandboxPool) -> None:
    result = await grade(pool, "def add(a, b=0):\n    while True:\n        pass\n", ADD, SHORT)
    assert result.verdict is Verdict.TIME_LIMIT


@pytest.mark.parametrize("raised", ["BaseException('x')", "SystemExit(0)", "KeyboardInterrupt"])
async def test_a_call_raising_a_base_exception_is_reported_as_raising_it(
    pool: SandboxPool, raised: str
) -> None:
    name = raised.partition("(")[0]
    code = f"def add(a, b=0):\n    raise {raised}\n"
    assert (await grade(pool, code, ADD[:1])).verdict is Verdict.WRONG_ANSWER
    expected = call_case("add", {"args": [1], "raises": name})
    assert (await grade(pool, code, [expected])).verdict is Verdict.ACCEPTED


async def test_exiting_before_the_calls_return_is_a_runtime_error(pool: SandboxPool) -> None:
    result = await grade(pool, "import os\ndef add(a, b=0):\n    os._exit(0)\n", ADD[:1])
    assert result.verdict is Verdict.RUNTIME_ERROR
    assert "ended before the tests' calls finished" in (result.message or "")


async def test_writing_over_the_results_is_a_runtime_error(pool: SandboxPool) -> None:
    code = "import os\nos.write(4, b'[{\"value\": 5}]')\ndef add(a, b=0):\n    return a + b\n"
    result = await grade(pool, code, ADD[:1])
    assert result.verdict is Verdict.RUNTIME_ERROR


async def test_a_missing_entry_is_a_runtime_error_that_names_it(pool: SandboxPool) -> None:
    result = await grade(pool, "def plus(a, b):\n    return a + b\n", ADD[:1])
    assert result.verdict is Verdict.RUNTIME_ERROR
    assert "defines no 'add'" in (result.message or "")


async def test_monkeypatching_the_loader_forges_nothing_useful(pool: SandboxPool) -> None:
    """A program can rewrite what its own process reports, but without the expected values it
    can only report what it computed itself."""
    code = (
        "import __main__\n"
        "forged = {'repr': '42', 'value': 42}\n"
        "__main__._call_steps = lambda entry, steps, ns: [forged] * len(steps)\n"
        "def add(a, b=0):\n    return 0\n"
    )
    result = await grade(pool, code, ADD)
    assert result.verdict is Verdict.WRONG_ANSWER
    assert result.tests[0].difference is not None
    assert result.tests[0].difference.actual_item == "42"


async def test_reading_stdin_finds_nothing(pool: SandboxPool) -> None:
    code = "import sys\nDATA = sys.stdin.read()\ndef add(a, b=0):\n    return len(DATA)\n"
    result = await grade(pool, code, [call_case("add", {"args": [1], "returns": 0})])
    assert result.verdict is Verdict.ACCEPTED


async def test_the_expected_values_are_nowhere_in_the_container(pool: SandboxPool) -> None:
    """The program searches its memory, its stdin, its environment and the files it can read
    for the expected value of its own test: it is not there."""
    code = (
        "import gc, os, sys\n"
        "def find():\n"
        "    needle = 'EXPECTED-' + 'VALUE'\n"
        "    texts = [o for o in gc.get_objects() if isinstance(o, str)]\n"
        "    texts += [repr(vars(m)) for m in list(sys.modules.values())]\n"
        "    texts += [sys.stdin.read(), repr(dict(os.environ))]\n"
        "    for root in ('/proc/self', '/tmp'):\n"
        "        for name in ('environ', 'cmdline'):\n"
        "            try:\n"
        "                with open(os.path.join(root, name), 'rb') as file:\n"
        "                    texts.append(file.read().decode('latin-1'))\n"
        "            except OSError:\n"
        "                pass\n"
        "    return [t for t in texts if needle in t and 'needle' not in t][:1]\n"
        "def add(a, b=0):\n    return find()\n"
    )
    result = await grade(pool, code, [call_case("add", {"args": [1], "returns": SECRET})])
    assert result.verdict is Verdict.WRONG_ANSWER
    assert result.tests[0].difference is not None
    assert result.tests[0].difference.actual_item == "[]"


async def test_a_hidden_call_test_shows_nothing(pool: SandboxPool) -> None:
    cases = [ADD[0], call_case("add", {"args": [7], "returns": SECRET}, hidden=True)]
    result = await grade(pool, "def add(a, b=0):\n    print(a)\n    return a + b\n", cases)
    assert result.verdict is Verdict.WRONG_ANSWER
    hidden = result.tests[1]
    assert hidden.hidden
    assert hidden.difference is None
    assert hidden.stdout == ""
    assert SECRET not in result.model_dump_json()
