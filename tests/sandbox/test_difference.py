"""Where outputs first differ, as the comparison locates it (plain unit tests, no engine)."""

from __future__ import annotations

import pytest

from sandbox import CompareMode, Comparison, Difference, DiffUnit, Excerpt, visible_whitespace
from sandbox.difference import WINDOW

EXACT = Comparison(mode=CompareMode.EXACT)
TOKENS = Comparison(mode=CompareMode.TOKENS)
FLOAT = Comparison(mode=CompareMode.FLOAT, tolerance=1e-3)
FIFTY = "".join(f"row {n}\n" for n in range(1, 51))


def located(comparison: Comparison, actual: str, expected: str) -> Difference:
    difference = comparison.difference(actual, expected)
    assert difference is not None
    return difference


@pytest.mark.parametrize("comparison", [EXACT, TOKENS, FLOAT])
def test_matching_outputs_have_no_difference(comparison: Comparison) -> None:
    assert comparison.difference("1 2\n3   \n\n", "1 2\n3\n") is None


def test_exact_finds_line_40_with_two_lines_around_it_in_both_outputs() -> None:
    difference = located(EXACT, FIFTY.replace("row 40\n", "row 41\n"), FIFTY)
    assert (difference.unit, difference.position, difference.whitespace) == (
        DiffUnit.LINE,
        40,
        False,
    )
    assert difference.expected == Excerpt(
        first_line=38, lines=("row 38", "row 39", "row 40", "row 41", "row 42"), at=2
    )
    assert difference.actual.lines[2] == "row 41"
    assert difference.actual.line == difference.expected.line == 40


def test_exact_context_is_cut_at_the_outputs_start() -> None:
    difference = located(EXACT, "x\nb\nc\n", "a\nb\nc\n")
    assert difference.expected == Excerpt(first_line=1, lines=("a", "b", "c"), at=0)


def test_a_missing_line_is_located_where_the_shorter_output_ended() -> None:
    difference = located(EXACT, "a\nb\n", "a\nb\nc\n")
    assert difference.position == 3
    assert difference.actual == Excerpt(first_line=1, lines=("a", "b"), at=2)
    assert difference.actual.ended
    assert not difference.expected.ended
    extra = located(EXACT, "a\nb\nc\n", "a\nb\n")
    assert extra.expected.ended
    assert extra.actual.lines[extra.actual.at] == "c"


def test_an_empty_output_differs_at_line_1() -> None:
    difference = located(EXACT, "", "5\n")
    assert difference.position == 1
    assert difference.actual == Excerpt(first_line=1, lines=(), at=0)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("1  2 3\n", "1 2 3\n"),  # a doubled space inside a line
        (" 5\n", "5\n"),  # a leading space
        ("1\t2\n", "1 2\n"),  # a tab for a space
        ("1 2 3 ", "1\n2\n3\n"),  # print(x, end=" ") where lines were expected
        ("a\n\nb\n", "a\nb\n"),  # a blank line too many
    ],
)
def test_whitespace_is_the_difference(actual: str, expected: str) -> None:
    assert located(EXACT, actual, expected).whitespace


def test_other_differences_are_not_whitespace() -> None:
    assert not located(EXACT, "1 2 4\n", "1 2 3\n").whitespace


def test_a_trailing_space_alone_is_no_difference_in_exact_mode() -> None:
    assert EXACT.difference("1 2 3 \n", "1 2 3\n") is None


def test_long_lines_are_clipped_to_a_window_around_the_differing_column() -> None:
    expected = "x" * 500 + "A" + "y" * 500
    difference = located(EXACT, expected.replace("A", "B"), expected)
    shown = difference.expected.lines[0]
    assert shown.startswith("…")
    assert shown.endswith("…")
    assert "A" in shown
    assert len(shown) == WINDOW + 2
    assert "B" in difference.actual.lines[0]


def test_tokens_finds_the_first_differing_token_and_its_line_in_each_output() -> None:
    difference = located(TOKENS, "1 2\n3 4 5\n", "1 2 3\n4 6\n")
    assert (difference.unit, difference.position) == (DiffUnit.TOKEN, 5)
    assert (difference.expected_item, difference.actual_item) == ("6", "5")
    assert difference.expected.line == 2
    assert difference.actual.line == 2
    assert not difference.whitespace


def test_tokens_reports_an_output_that_has_no_more_tokens() -> None:
    difference = located(TOKENS, "1 2\n", "1 2 3\n")
    assert (difference.position, difference.expected_item, difference.actual_item) == (
        3,
        "3",
        None,
    )
    assert difference.actual.ended
    assert located(TOKENS, "", "1\n").actual == Excerpt(first_line=1, lines=(), at=0)


def test_float_finds_the_first_value_out_of_tolerance() -> None:
    difference = located(FLOAT, "0.5 0.3334\n0.25 0.2\n", "0.5 0.3333\n0.25 0.125\n")
    assert (difference.unit, difference.position) == (DiffUnit.VALUE, 4)
    assert (difference.expected_item, difference.actual_item) == ("0.125", "0.2")
    assert difference.tolerance == 1e-3
    assert difference.actual.line == 2


def test_visible_whitespace_marks_spaces_tabs_and_the_line_end() -> None:
    assert visible_whitespace("a b\tc ") == "a·b→c·⏎"


def test_a_no_break_space_is_told_apart_from_a_space() -> None:
    difference = located(EXACT, "1\u00a02\n", "1 2\n")
    assert difference.whitespace
    assert visible_whitespace(difference.actual.lines[0]) == "1\\xa02⏎"


def test_a_difference_survives_json() -> None:
    difference = located(TOKENS, "1 2\n", "1 3\n")
    assert Difference.model_validate(difference.model_dump(mode="json")) == difference
