"""Mutants of a reference solution: each operator, validity, stable ids, no duplicates, cap."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.content.files import read_content
from core.content.mutate import MAX_MUTANTS, Mutant, Operator, mutants

DATA = Path(__file__).parents[3] / "data"


def _codes(code: str, operator: Operator) -> set[str]:
    return {m.code for m in mutants(code) if m.operator is operator}


def _src(code: str) -> str:
    return ast.unparse(ast.parse(code))


@pytest.mark.parametrize(
    ("code", "operator", "expected"),
    [
        ("print(a < b)", Operator.COMPARISON, "print(a <= b)"),
        ("print(a >= b)", Operator.COMPARISON, "print(a > b)"),
        ("print(a == b)", Operator.COMPARISON, "print(a != b)"),
        ("print(x in s)", Operator.COMPARISON, "print(x not in s)"),
        ("x = a + 2", Operator.CONSTANT, "x = a + 3"),
        ("x = a + 2", Operator.CONSTANT, "x = a + 1"),
        (
            "for i in range(n):\n    print(i)",
            Operator.BOUNDARY,
            "for i in range(n + 1):\n    print(i)",
        ),
        ("print(s[k:])", Operator.BOUNDARY, "print(s[k - 1:])"),
        ("print(a / b)", Operator.DIVISION, "print(a // b)"),
        ("a //= 2", Operator.DIVISION, "a /= 2"),
        ("s = input().strip()", Operator.STRIP, "s = input()"),
        ("s = input().rstrip('\\n')", Operator.STRIP, "s = input()"),
        ("xs.sort(key=len)", Operator.SORT_ORDER, "xs.sort()"),
        ("print(sorted(xs, reverse=True))", Operator.SORT_ORDER, "print(sorted(xs))"),
        ("print(max(xs, key=abs))", Operator.SORT_ORDER, "print(max(xs))"),
        (
            "for x in xs:\n    if x:\n        break\n    print(x)",
            Operator.EARLY_EXIT,
            "for x in xs:\n    if x:\n        pass\n    print(x)",
        ),
        (
            "def f(x):\n    if x:\n        return 1\n    return 2",
            Operator.EARLY_EXIT,
            "def f(x):\n    if x:\n        pass\n    return 2",
        ),
        (
            "if a:\n    print(1)\nelse:\n    print(2)",
            Operator.SWAP_BRANCHES,
            "if a:\n    print(2)\nelse:\n    print(1)",
        ),
        ("print(1 if a else 2)", Operator.SWAP_BRANCHES, "print(2 if a else 1)"),
        ("print(a and b)", Operator.BOOLEAN, "print(a or b)"),
        ("best = -10 ** 9", Operator.SENTINEL, "best = 10 ** 9"),
        ("best = float('inf')", Operator.SENTINEL, "best = -float('inf')"),
        ("best = -math.inf", Operator.SENTINEL, "best = math.inf"),
        ("print(min(a, b))", Operator.MIN_MAX, "print(max(a, b))"),
        (
            "def f(x):\n    if x < 0:\n        raise ValueError('negative')\n    return x",
            Operator.DROPPED_RAISE,
            "def f(x):\n    if x < 0:\n        pass\n    return x",
        ),
        ("seen.append(x)\nprint(seen)", Operator.DROPPED_CALL, "pass\nprint(seen)"),
        ("next(items, None)\nprint(1)", Operator.DROPPED_CALL, "pass\nprint(1)"),
    ],
)
def test_each_operator_makes_its_change(code: str, operator: Operator, expected: str) -> None:
    assert _src(expected) in _codes(code, operator)


def test_a_sentinel_flips_whole_and_is_not_also_off_by_one() -> None:
    found = mutants("best = -10 ** 9\nmod = 10 ** 9 + 7\n")
    assert [m.code for m in found if m.operator is Operator.SENTINEL] == [
        _src("best = 10 ** 9\nmod = 10 ** 9 + 7")
    ]
    constants = {m.code for m in found if m.operator is Operator.CONSTANT}
    assert _src("best = -10 ** 9\nmod = 10 ** 9 + 8") in constants
    assert not any("10 ** 10" in code or "11 ** 9" in code for code in constants)


def test_a_function_s_own_return_is_not_removed() -> None:
    assert _codes("def f(x):\n    return x\n", Operator.EARLY_EXIT) == set()


def test_a_call_that_only_prints_is_not_removed() -> None:
    code = "print(1)\nsys.stdout.write('2')\nvalue = compute()\n"
    assert _codes(code, Operator.DROPPED_CALL) == set()


def test_a_mutant_names_its_line_and_change() -> None:
    (mutant,) = [
        m for m in mutants("n = int(input())\nprint(n < 3)\n") if m.operator is Operator.COMPARISON
    ]
    assert mutant.line == 2
    assert mutant.description == "line 2, col 7: `n < 3` → `n <= 3`"
    assert mutant.id.startswith("comparison-")


def test_ids_do_not_depend_on_lines_around_the_change() -> None:
    code = "a = int(input())\nprint(a < 3 and a > 0)\n"
    before = {m.description.split(": ", 1)[1]: m.id for m in mutants(code)}
    after = {m.description.split(": ", 1)[1]: m.id for m in mutants("import sys\n\n" + code)}
    assert before == after
    assert len(set(before.values())) == len(before)


def test_the_same_change_twice_gets_two_ids_and_one_code_is_kept_once() -> None:
    found = mutants("print(a < b)\nprint(a < b)\n")
    comparisons = [m for m in found if m.operator is Operator.COMPARISON]
    assert len({m.id for m in comparisons}) == 2
    assert len({m.code for m in found}) == len(found)


def test_a_change_that_leaves_the_code_alike_is_no_mutant() -> None:
    assert _codes("print(1 if a else 1)", Operator.SWAP_BRANCHES) == set()


def test_the_cap_takes_every_operator_in_turn() -> None:
    code = "x = int(input())\nprint(x < 2, x / 2, min(x, 3), x and 4)\n"
    capped = mutants(code, limit=4)
    assert len(capped) == 4
    assert len({m.operator for m in capped}) == 4
    assert all(m in mutants(code) for m in capped)


def test_unparsable_code_is_refused() -> None:
    with pytest.raises(SyntaxError):
        mutants("print(")


def test_every_shipped_reference_gives_valid_distinct_mutants() -> None:
    for parsed in read_content(DATA).tasks:
        found: list[Mutant] = mutants(parsed.item.solution)
        original = _src(parsed.item.solution)
        assert len(found) <= MAX_MUTANTS
        assert len({m.id for m in found}) == len(found), parsed.item.slug
        for mutant in found:
            assert mutant.code != original
            compile(mutant.code, mutant.id, "exec")
