"""Ordinary submissions graded in the real sandbox."""

from __future__ import annotations

import pytest

from sandbox import (
    CompareMode,
    Comparison,
    InvalidSubmission,
    RunLimits,
    SandboxPool,
    TestCase,
    Verdict,
)
from tests.support.sandbox import ADD_CASES, ADD_CODE, FAST

pytestmark = [pytest.mark.docker, pytest.mark.asyncio(loop_scope="module")]


async def test_accepted(pool: SandboxPool) -> None:
    result = await pool.grade(ADD_CODE, ADD_CASES)
    assert result.verdict is Verdict.ACCEPTED
    assert [t.passed for t in result.tests] == [True, True, True]
    assert result.tests[0].stdout == "1\n"
    assert all(t.time_ms is not None and t.time_ms < 2000 for t in result.tests)
    assert result.message is None


async def test_wrong_answer_keeps_going_and_marks_hidden(pool: SandboxPool) -> None:
    cases = [
        TestCase(input="1 1\n", expected="2\n"),
        TestCase(input="2 2\n", expected="5\n", hidden=True),
        TestCase(input="3 3\n", expected="6\n"),
    ]
    result = await pool.grade(ADD_CODE, cases)
    assert result.verdict is Verdict.WRONG_ANSWER
    assert result.first_failed == 1
    assert [t.passed for t in result.tests] == [True, False, True]
    assert result.tests[1].hidden
    assert result.tests[1].stdout == ""


async def test_runtime_error_traceback_without_loader_frames(pool: SandboxPool) -> None:
    code = "def divide(a, b):\n    return a / b\n\nprint(divide(1, 0))\n"
    result = await pool.grade(code, ADD_CASES[:1])
    assert result.verdict is Verdict.RUNTIME_ERROR
    assert result.message is not None
    assert 'File "solution.py", line 2, in divide' in result.message
    assert "ZeroDivisionError: division by zero" in result.message
    assert "loader" not in result.message
    assert "/opt/" not in result.message


async def test_syntax_error(pool: SandboxPool) -> None:
    result = await pool.grade("print('unclosed'\n", ADD_CASES)
    assert result.verdict is Verdict.SYNTAX_ERROR
    assert result.message is not None
    assert "SyntaxError" in result.message
    assert "solution.py" in result.message
    assert "loader" not in result.message
    assert all(t.verdict is None for t in result.tests)


async def test_null_byte_in_source_is_a_syntax_error(pool: SandboxPool) -> None:
    result = await pool.grade("print(1)\x00\n", ADD_CASES[:1])
    assert result.verdict is Verdict.SYNTAX_ERROR


@pytest.mark.parametrize(
    ("mode", "output", "expected", "verdict"),
    [
        ("exact", "print('6   ')\nprint()", "6\n", Verdict.ACCEPTED),
        ("exact", "print(' 6')", "6\n", Verdict.WRONG_ANSWER),
        ("tokens", "print(1, 2)\nprint('  3')", "1 2 3\n", Verdict.ACCEPTED),
        ("float", "print(1/3)", "0.333333\n", Verdict.ACCEPTED),
        ("float", "print(0.34)", "0.333333\n", Verdict.WRONG_ANSWER),
    ],
)
async def test_compare_modes(
    pool: SandboxPool, mode: str, output: str, expected: str, verdict: Verdict
) -> None:
    comparison = Comparison(mode=CompareMode(mode), tolerance=1e-5)
    result = await pool.grade(output, [TestCase(input="", expected=expected)], comparison)
    assert result.verdict is verdict


async def test_run_reports_each_input(pool: SandboxPool) -> None:
    run = await pool.run("import sys\nprint(sys.stdin.read()[::-1])", ["abc", "", "é"], FAST)
    assert run.aborted is None
    assert [t.stdout for t in run.tests] == [b"cba\n", b"\n", "é\n".encode()]


async def test_large_input_and_output(pool: SandboxPool) -> None:
    numbers = " ".join(str(i) for i in range(100_000))
    code = "print('\\n'.join(input().split()))"
    expected = "\n".join(str(i) for i in range(100_000)) + "\n"
    result = await pool.grade(code, [TestCase(input=numbers + "\n", expected=expected)])
    assert result.verdict is Verdict.ACCEPTED


async def test_limits_above_the_container_are_lowered(pool: SandboxPool) -> None:
    limits = RunLimits(time_s=60, memory_mb=4096)
    result = await pool.grade(ADD_CODE, ADD_CASES, limits=limits)
    assert result.verdict is Verdict.ACCEPTED


async def test_bad_input_gets_a_clear_error(pool: SandboxPool) -> None:
    with pytest.raises(InvalidSubmission, match="at least one test case"):
        await pool.grade(ADD_CODE, [])
    with pytest.raises(InvalidSubmission, match="bytes; at most"):
        await pool.grade("#" * (pool.config.max_code_bytes + 1), ADD_CASES)
    with pytest.raises(ValueError, match="greater than 0"):
        RunLimits(time_s=0)


THREADED = """
import threading, time

def later():
    time.sleep(0.05)
    print("from the thread")

threading.Thread(target=later).start()
print("main done")
"""


async def test_output_of_a_finishing_thread_is_kept(pool: SandboxPool) -> None:
    # as with `python3 solution.py`, the program ends once its non-daemon threads have
    cases = [TestCase(input="", expected="main done\nfrom the thread\n")] * 2
    result = await pool.grade(THREADED, cases)
    assert result.verdict is Verdict.ACCEPTED, result


NESTED_SCRATCH = """
import os
print(sorted(os.listdir('/tmp')), sorted(os.listdir('/dev/shm')))
os.makedirs('/tmp/a/b/c')
open('/tmp/a/b/c/file', 'w').write('x')
os.symlink('/tmp/a/b', '/tmp/a/link')
os.symlink('/tmp/a', '/dev/shm/outside')
os.mkdir('/dev/shm/d')
"""


async def test_nested_scratch_files_are_gone_by_the_next_test(pool: SandboxPool) -> None:
    cases = [TestCase(input="", expected="[] []\n")] * 3
    result = await pool.grade(NESTED_SCRATCH, cases)
    assert result.verdict is Verdict.ACCEPTED, result


SIGNALS = """
import os, signal, sys
signal.signal(signal.SIGALRM, lambda number, frame: print("alarm", number == signal.SIGALRM))
signal.setitimer(signal.ITIMER_REAL, 0.01)
signal.pause()
try:
    os.kill(os.getpid(), signal.SIGINT)
except KeyboardInterrupt:
    print("interrupted")
sys.stdout.flush()
os.kill(os.getpid(), int(input()))
"""


async def test_signals_behave_as_in_plain_python(pool: SandboxPool) -> None:
    run = await pool.run(SIGNALS, ["15\n", "10\n"], FAST)
    assert [t.stdout for t in run.tests] == [b"alarm True\ninterrupted\n"] * 2
    assert [t.signal for t in run.tests] == [15, 10]  # SIGTERM and SIGUSR1 end it, as usual


async def test_visible_tests_run_before_hidden_ones(pool: SandboxPool) -> None:
    """Children are forked one after the other, so their process ids tell the order they ran
    in; the results still come back in the order of the cases."""
    cases = [
        TestCase(input="h0\n", expected="", hidden=True),
        TestCase(input="v1\n", expected=""),
        TestCase(input="h2\n", expected="", hidden=True),
        TestCase(input="v3\n", expected=""),
    ]
    result = await pool.grade("import os\nprint(input(), os.getpid())\n", cases)
    assert [test.index for test in result.tests] == [0, 1, 2, 3]
    assert [test.hidden for test in result.tests] == [True, False, True, False]
    first, second = (result.tests[index].stdout.split() for index in (1, 3))
    assert (first[0], second[0]) == ("v1", "v3")
    assert int(second[1]) == int(first[1]) + 1  # no hidden test ran between them
    assert result.first_failed == 1  # the first failure in the order of the cases
