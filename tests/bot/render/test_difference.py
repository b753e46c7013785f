"""Where a wrong answer differs, as embed text (plain unit tests of the rendering)."""

from __future__ import annotations

from bot.render.difference import difference_summary, numbered_excerpt
from bot.render.text import FIELD_VALUE_LIMIT
from sandbox import CompareMode, Comparison, Difference


def located(mode: CompareMode, actual: str, expected: str) -> Difference:
    difference = Comparison(mode=mode).difference(actual, expected)
    assert difference is not None
    return difference


def test_an_output_longer_than_expected_says_where_the_expected_one_ends() -> None:
    difference = located(CompareMode.EXACT, "a\nb\n", "a\n")
    assert difference_summary(difference) == (
        "Your output goes on after line 1, where the expected output ends."
    )
    assert (
        numbered_excerpt(difference.expected, False) == "```\n  1 │ a\n»   │ (end of output)\n```"
    )


def test_a_long_token_with_backticks_stays_short_and_inside_its_inline_code() -> None:
    token = "``" + "x" * 100
    summary = difference_summary(located(CompareMode.TOKENS, token, "y"))
    assert summary == (
        f"Token 1 (line 1 of your output) differs: expected `` y ``, got `` `\u200b`{'x' * 37}… ``."
    )


def test_an_output_with_too_few_tokens_says_so() -> None:
    summary = difference_summary(located(CompareMode.TOKENS, "1\n", "1 2\n"))
    assert summary == "Token 2 differs: expected `` 2 ``, got nothing more."


def test_huge_lines_stay_within_a_field() -> None:
    lines = "".join(f"{'z' * 5000}{n}\n" for n in range(9))
    difference = located(CompareMode.EXACT, lines.replace("z4", "q4"), lines)
    for excerpt in (difference.expected, difference.actual):
        assert len(numbered_excerpt(excerpt, True)) < FIELD_VALUE_LIMIT
