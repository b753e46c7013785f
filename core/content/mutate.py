"""Mutants of a reference solution: small, plausible slips a learner makes, derived from its AST.

Tests that let a mutant pass would let the same slip in a learner's program pass; the kill
rate (mutants failing some test) measures how well a task's tests check the statement.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

#: mutants kept per task, spread over the operators, so one long reference cannot stall a run
MAX_MUTANTS = 80
#: longest source excerpt shown in a mutant's description
EXCERPT_CHARS = 40


class Operator(StrEnum):
    """A kind of slip; the prefix of a mutant's id."""

    COMPARISON = "comparison"  # < <=, > >=, == !=, in / not in
    CONSTANT = "constant"  # an integer literal off by one
    BOUNDARY = "boundary"  # a non-literal range() stop or slice bound off by one
    DIVISION = "division"  # / //
    STRIP = "strip"  # .strip() and its kin dropped
    SORT_ORDER = "sort-order"  # key= or reverse= of sort, sorted, min, max dropped
    EARLY_EXIT = "early-exit"  # a return inside a block, a break or a continue removed
    SWAP_BRANCHES = "swap-branches"  # the two branches of an if/else swapped
    BOOLEAN = "boolean"  # and or
    SENTINEL = "sentinel"  # -10**9, float('inf'), math.inf with the other sign
    MIN_MAX = "min-max"  # min max
    DROPPED_RAISE = "dropped-raise"  # a raise removed: a check forgotten
    DROPPED_CALL = "dropped-call"  # a call made for its effect removed (append, next, update…)


@dataclass(frozen=True, slots=True)
class Mutant:
    """One changed copy of a reference solution.

    `id` depends only on the changed code, not on its line, so marks such as "equivalent" stay
    attached when the lines around it change.
    """

    id: str
    operator: Operator
    line: int
    column: int
    description: str
    code: str


@dataclass(frozen=True, slots=True)
class _Change:
    """A change to apply to the node at one position of a copy of the tree."""

    operator: Operator
    before: str
    after: str
    apply: Callable[[ast.AST, dict[ast.AST, ast.AST]], None]


_COMPARISON_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_STRIPS = frozenset({"strip", "rstrip", "lstrip"})
_ORDERED_CALLS = frozenset({"sorted", "min", "max"})
_ORDER_KEYWORDS = ("key", "reverse")
_MIN_MAX = {"min": "max", "max": "min"}
#: a literal at least this large, negated or as a power of ten, reads as a sentinel
_SENTINEL_MAGNITUDE = 10**6


def mutants(code: str, limit: int = MAX_MUTANTS) -> list[Mutant]:
    """Every distinct, compilable mutant of `code`, at most `limit` of them spread over the
    operators; SyntaxError when `code` itself does not parse."""
    tree = ast.parse(code)
    original = ast.unparse(tree)
    positions = list(ast.walk(tree))
    parents = _parents(tree)
    found: list[Mutant] = []
    seen_codes = {original}
    occurrences: Counter[tuple[Operator, str, str]] = Counter()
    for index, node in enumerate(positions):
        for change in _changes(node, parents):
            key = (change.operator, change.before, change.after)
            occurrences[key] += 1
            mutated = _apply(tree, index, change)
            if mutated is None or mutated in seen_codes:
                continue
            seen_codes.add(mutated)
            line, column = getattr(node, "lineno", 0), getattr(node, "col_offset", 0) + 1
            found.append(
                Mutant(
                    id=_mutant_id(change, occurrences[key]),
                    operator=change.operator,
                    line=line,
                    column=column,
                    description=f"line {line}, col {column}: {_excerpt(change.before)} → "
                    f"{_excerpt(change.after)}",
                    code=mutated,
                )
            )
    found.sort(key=lambda mutant: (mutant.line, mutant.column))
    return _spread(found, limit)


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _apply(tree: ast.AST, index: int, change: _Change) -> str | None:
    """The source of a copy of `tree` whose node at `index` (walk order) is changed; None when
    the result does not compile."""
    changed = copy.deepcopy(tree)
    change.apply(list(ast.walk(changed))[index], _parents(changed))
    ast.fix_missing_locations(changed)
    source = ast.unparse(changed)
    try:
        compile(source, "<mutant>", "exec")
    except SyntaxError:
        return None
    return source


def _mutant_id(change: _Change, occurrence: int) -> str:
    text = "\0".join((change.operator, change.before, change.after, str(occurrence)))
    return f"{change.operator}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def _excerpt(source: str) -> str:
    flat = " ".join(source.split())
    return f"`{flat if len(flat) <= EXCERPT_CHARS else flat[: EXCERPT_CHARS - 1] + '…'}`"


def _spread(found: list[Mutant], limit: int) -> list[Mutant]:
    """At most `limit` mutants, taken in turn from each operator (in source order within one)."""
    by_operator: dict[Operator, list[Mutant]] = defaultdict(list)
    for mutant in found:
        by_operator[mutant.operator].append(mutant)
    rounds = itertools.zip_longest(*by_operator.values())
    chosen = [mutant for turn in rounds for mutant in turn if mutant is not None][:limit]
    keep = {mutant.id for mutant in chosen}
    return [mutant for mutant in found if mutant.id in keep]


def _changes(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    """The changes every operator proposes for one node."""
    for propose in _PROPOSERS:
        yield from propose(node, parents)


def _replace(old: ast.AST, new: ast.AST, parents: dict[ast.AST, ast.AST]) -> None:
    """Put `new` where `old` is in its parent."""
    parent = parents[old]
    for field, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, field, new)
            return
        if isinstance(value, list) and any(item is old for item in value):
            setattr(parent, field, [new if item is old else item for item in value])
            return


def _comparisons(node: ast.AST, _: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    if not isinstance(node, ast.Compare):
        return
    for position, op in enumerate(node.ops):
        swapped = _COMPARISON_SWAPS.get(type(op))
        if swapped is None:
            continue
        after = copy.deepcopy(node)
        after.ops[position] = swapped()

        def apply(target: ast.AST, _: dict[ast.AST, ast.AST], at: int = position) -> None:
            assert isinstance(target, ast.Compare)
            target.ops[at] = _COMPARISON_SWAPS[type(target.ops[at])]()

        yield _Change(Operator.COMPARISON, ast.unparse(node), ast.unparse(after), apply)


def _integer(node: ast.AST | None) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def _constants(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    value = _integer(node)
    if value is None or _is_sentinel(node) or _is_sentinel(parents[node]):
        return
    context = _context(node, parents)
    position = next(i for i, inner in enumerate(ast.walk(context)) if inner is node)
    for new in (value + 1, value - 1):

        def apply(target: ast.AST, _: dict[ast.AST, ast.AST], new: int = new) -> None:
            assert isinstance(target, ast.Constant)
            target.value = new

        after = copy.deepcopy(context)
        apply(list(ast.walk(after))[position], {})
        yield _Change(Operator.CONSTANT, ast.unparse(context), ast.unparse(after), apply)


def _context(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST:
    """The code around a literal that makes its change readable: `n - 1`, `range(2, n)`,
    `count = 0`."""
    parent = parents[node]
    if isinstance(parent, ast.expr | ast.keyword | ast.arg | ast.Assign | ast.AugAssign):
        return parent
    return node


def _bounds(node: ast.AST) -> list[str]:
    """The fields of `node` holding a non-literal bound a learner may get off by one: a
    range's stop, a slice's start and stop (literal bounds are the constant operator's)."""
    if isinstance(node, ast.Slice):
        fields = ["lower", "upper"]
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "range"
        and node.args
        and not node.keywords
    ):
        fields = ["args[0]" if len(node.args) == 1 else "args[1]"]
    else:
        return []
    return [f for f in fields if (b := _bound(node, f)) is not None and _integer(b) is None]


def _bound(node: ast.AST, field: str) -> ast.expr | None:
    if field.startswith("args["):
        assert isinstance(node, ast.Call)
        return node.args[int(field[5:-1])]
    bound: ast.expr | None = getattr(node, field)
    return bound


def _set_bound(node: ast.AST, field: str, value: ast.expr) -> None:
    if field.startswith("args["):
        assert isinstance(node, ast.Call)
        node.args[int(field[5:-1])] = value
    else:
        setattr(node, field, value)


def _boundaries(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    shown = parents[node] if isinstance(node, ast.Slice) else node
    position = next(i for i, inner in enumerate(ast.walk(shown)) if inner is node)
    for field in _bounds(node):
        for op in (ast.Add, ast.Sub):

            def apply(
                target: ast.AST,
                _: dict[ast.AST, ast.AST],
                field: str = field,
                by: type[ast.operator] = op,
            ) -> None:
                bound = _bound(target, field)
                assert bound is not None
                _set_bound(target, field, ast.BinOp(bound, by(), ast.Constant(1)))

            after = copy.deepcopy(shown)
            apply(list(ast.walk(after))[position], {})
            yield _Change(Operator.BOUNDARY, ast.unparse(shown), ast.unparse(after), apply)


def _divisions(node: ast.AST, _: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    if not isinstance(node, ast.BinOp | ast.AugAssign) or not isinstance(
        node.op, ast.Div | ast.FloorDiv
    ):
        return

    def apply(target: ast.AST, _: dict[ast.AST, ast.AST]) -> None:
        assert isinstance(target, ast.BinOp | ast.AugAssign)
        target.op = ast.FloorDiv() if isinstance(target.op, ast.Div) else ast.Div()

    after = copy.deepcopy(node)
    apply(after, {})
    yield _Change(Operator.DIVISION, ast.unparse(node), ast.unparse(after), apply)


def _strips(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _STRIPS
        and node in parents
    ):
        return

    def apply(target: ast.AST, target_parents: dict[ast.AST, ast.AST]) -> None:
        assert isinstance(target, ast.Call)
        assert isinstance(target.func, ast.Attribute)
        _replace(target, target.func.value, target_parents)

    yield _Change(Operator.STRIP, ast.unparse(node), ast.unparse(node.func.value), apply)


def _sort_orders(node: ast.AST, _: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    if not isinstance(node, ast.Call):
        return
    name = node.func.id if isinstance(node.func, ast.Name) else None
    method = node.func.attr if isinstance(node.func, ast.Attribute) else None
    if name not in _ORDERED_CALLS and method != "sort":
        return
    for keyword in _ORDER_KEYWORDS:
        if not any(k.arg == keyword for k in node.keywords):
            continue

        def apply(target: ast.AST, _: dict[ast.AST, ast.AST], drop: str = keyword) -> None:
            assert isinstance(target, ast.Call)
            target.keywords = [k for k in target.keywords if k.arg != drop]

        after = copy.deepcopy(node)
        apply(after, {})
        yield _Change(Operator.SORT_ORDER, ast.unparse(node), ast.unparse(after), apply)


def _early_exits(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    if isinstance(node, ast.Return) and isinstance(
        parents.get(node), ast.FunctionDef | ast.AsyncFunctionDef
    ):
        return  # a function's own return is not early
    if not isinstance(node, ast.Return | ast.Break | ast.Continue):
        return
    yield _Change(Operator.EARLY_EXIT, ast.unparse(node), "pass", _to_pass)


def _to_pass(target: ast.AST, parents: dict[ast.AST, ast.AST]) -> None:
    """Replace the statement `target` with `pass`."""
    _replace(target, ast.Pass(), parents)


def _swapped_branches(node: ast.AST, _: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    if not isinstance(node, ast.If | ast.IfExp) or not node.orelse:
        return

    def apply(target: ast.AST, _: dict[ast.AST, ast.AST]) -> None:
        assert isinstance(target, ast.If | ast.IfExp)
        target.body, target.orelse = target.orelse, target.body

    condition = ast.unparse(node.test)
    if isinstance(node, ast.IfExp):
        after = copy.deepcopy(node)
        apply(after, {})
        yield _Change(Operator.SWAP_BRANCHES, ast.unparse(node), ast.unparse(after), apply)
    else:
        yield _Change(
            Operator.SWAP_BRANCHES,
            f"if {condition}: … else: …",
            f"branches of `if {condition}` swapped",
            apply,
        )


def _booleans(node: ast.AST, _: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    if not isinstance(node, ast.BoolOp):
        return

    def apply(target: ast.AST, _: dict[ast.AST, ast.AST]) -> None:
        assert isinstance(target, ast.BoolOp)
        target.op = ast.Or() if isinstance(target.op, ast.And) else ast.And()

    after = copy.deepcopy(node)
    apply(after, {})
    yield _Change(Operator.BOOLEAN, ast.unparse(node), ast.unparse(after), apply)


def _is_sentinel(node: ast.AST | None) -> bool:
    """`10**9`, `1e18`, `float('inf')`, `math.inf` and the like, with either sign."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _is_sentinel(node.operand)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        return _integer(node.left) == 10 and (_integer(node.right) or 0) >= 6
    if isinstance(node, ast.Constant) and type(node.value) is float:
        return abs(node.value) >= _SENTINEL_MAGNITUDE
    if (value := _integer(node)) is not None:
        return abs(value) >= _SENTINEL_MAGNITUDE and str(abs(value)).rstrip("0") == "1"
    if isinstance(node, ast.Attribute):
        return node.attr == "inf"
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "float"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and str(node.args[0].value).lower().lstrip("+-") in ("inf", "infinity")
    )


def _sentinels(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    parent = parents.get(node)
    if not _is_sentinel(node) or isinstance(parent, ast.BinOp) or _is_sentinel(parent):
        return  # a sentinel flips whole; `10**9 + 7` is a modulus, not a sentinel
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        flipped: ast.expr = node.operand
    else:
        assert isinstance(node, ast.expr)
        flipped = ast.UnaryOp(ast.USub(), node)

    def apply(target: ast.AST, target_parents: dict[ast.AST, ast.AST]) -> None:
        if isinstance(target, ast.UnaryOp) and isinstance(target.op, ast.USub):
            _replace(target, target.operand, target_parents)
        else:
            assert isinstance(target, ast.expr)
            _replace(target, ast.UnaryOp(ast.USub(), target), target_parents)

    yield _Change(Operator.SENTINEL, ast.unparse(node), ast.unparse(flipped), apply)


def _min_max(node: ast.AST, _: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    if not (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _MIN_MAX
    ):
        return

    def apply(target: ast.AST, _: dict[ast.AST, ast.AST]) -> None:
        assert isinstance(target, ast.Call)
        assert isinstance(target.func, ast.Name)
        target.func.id = _MIN_MAX[target.func.id]

    after = copy.deepcopy(node)
    apply(after, {})
    yield _Change(Operator.MIN_MAX, ast.unparse(node), ast.unparse(after), apply)


def _dropped_raises(node: ast.AST, _: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    if isinstance(node, ast.Raise):
        yield _Change(Operator.DROPPED_RAISE, ast.unparse(node), "pass", _to_pass)


#: calls whose removal only changes what is printed: a slip the output shows at once
_OUTPUT_CALLS = frozenset({"print", "write", "writelines", "flush"})


def _dropped_calls(node: ast.AST, _: dict[ast.AST, ast.AST]) -> Iterator[_Change]:
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return
    function = node.value.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    if name not in _OUTPUT_CALLS:
        yield _Change(Operator.DROPPED_CALL, ast.unparse(node), "pass", _to_pass)


_PROPOSERS: tuple[Callable[[ast.AST, dict[ast.AST, ast.AST]], Iterator[_Change]], ...] = (
    _comparisons,
    _constants,
    _boundaries,
    _divisions,
    _strips,
    _sort_orders,
    _early_exits,
    _swapped_branches,
    _booleans,
    _sentinels,
    _min_max,
    _dropped_raises,
    _dropped_calls,
)
