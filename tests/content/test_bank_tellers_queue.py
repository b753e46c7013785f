"""`bank-tellers-queue`: the reference follows the statement's rules, checked against a plain
minute-by-minute simulation of them on random small inputs."""

from __future__ import annotations

from collections import deque
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from core.content.files import parse_document
from core.content.schema import TaskFile
from tests.support.reference import run_reference

TASK_FILE = Path(__file__).parents[2] / "data" / "tasks" / "bank-tellers-queue.json"

Customer = tuple[int, int]


def _task() -> TaskFile:
    task, problems = parse_document(TASK_FILE.name, TASK_FILE.read_bytes(), TaskFile)
    assert task is not None, problems
    return task


def simulate(tellers: int, customers: list[Customer]) -> str:
    """The statement's rules, minute by minute: arrivals join the line, then while a teller is
    free the customer at the front goes to the free teller with the smallest number."""
    free_at = dict.fromkeys(range(1, tellers + 1), 0)
    line: deque[int] = deque()
    served: list[tuple[int, int]] = []
    arrived = 0
    minute = 0
    while len(served) < len(customers):
        while arrived < len(customers) and customers[arrived][0] == minute:
            line.append(arrived)
            arrived += 1
        while line and (free := [t for t, until in free_at.items() if until <= minute]):
            customer = line.popleft()
            served.append((min(free), minute))
            free_at[min(free)] = minute + customers[customer][1]
        minute += 1
    total_wait = sum(start - a for (_, start), (a, _) in zip(served, customers, strict=True))
    lines = [f"{teller} {start}" for teller, start in served]
    return "\n".join([*lines, str(total_wait)]) + "\n"


def _input(tellers: int, customers: list[Customer]) -> str:
    rows = "".join(f"{a} {d}\n" for a, d in customers)
    return f"{tellers} {len(customers)}\n{rows}"


@st.composite
def banks(draw: st.DrawFn) -> tuple[int, list[Customer]]:
    """A few tellers and customers with small, non-decreasing arrival minutes."""
    tellers = draw(st.integers(1, 3))
    arrivals = sorted(draw(st.lists(st.integers(0, 12), min_size=1, max_size=8)))
    return tellers, [(a, draw(st.integers(1, 5))) for a in arrivals]


def test_the_simulation_agrees_with_the_statement_example() -> None:
    example = _task().tests[0]
    customers = [(0, 5), (1, 3), (2, 4), (4, 2), (10, 1)]
    assert example.input == _input(2, customers)
    assert simulate(2, customers) == example.output


def test_a_customer_never_takes_a_teller_before_the_one_ahead_of_them() -> None:
    assert run_reference(_task().solution, _input(2, [(0, 1)] * 4)) == "1 0\n2 0\n1 1\n2 1\n2\n"


@settings(max_examples=400, deadline=None)
@given(banks())
def test_the_reference_follows_the_rules(bank: tuple[int, list[Customer]]) -> None:
    tellers, customers = bank
    assert run_reference(_task().solution, _input(tellers, customers)) == simulate(
        tellers, customers
    )


def test_every_expected_output_is_the_references() -> None:
    task = _task()
    for test in task.tests:
        assert run_reference(task.solution, test.input) == test.output
