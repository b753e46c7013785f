"""Markdown tables as Discord can show them: narrow ones as aligned code, wide ones as lists."""

from __future__ import annotations

from bot.render.markdown import close_fences, render_tables, shows

NARROW = "Before.\n\n| x | Gray |\n|:--|--:|\n| 2 | 3 |\n| 10 | 15 |\n\nAfter."
WIDE = (
    "| command | effect |\n|---|---|\n"
    "| `OPEN name` | opens an account with balance 0, or says that it already exists |\n"
    "| `BALANCE name` | prints the balance |"
)


def test_a_narrow_table_becomes_an_aligned_code_block() -> None:
    assert render_tables(NARROW) == (
        "Before.\n\n```\nx   Gray\n--  ----\n2   3\n10  15\n```\n\nAfter."
    )


def test_a_wide_table_becomes_a_list_where_markdown_still_renders() -> None:
    assert render_tables(WIDE) == (
        "- `OPEN name` — effect: opens an account with balance 0, or says that it already "
        "exists\n- `BALANCE name` — effect: prints the balance"
    )


def test_pipes_inside_code_blocks_and_lone_rows_are_left_alone() -> None:
    code = "```\n| a | b |\n|---|---|\n```"
    assert render_tables(code) == code
    assert render_tables("| not a table |") == "| not a table |"


def test_examples_are_recognised_in_code_blocks_whatever_their_trailing_space() -> None:
    statement = "Input\n```\n1 2  \n```\nOutput\n```\n3\n\n```"
    assert shows(statement, "1 2\n")
    assert shows(statement, "3\n")
    assert not shows(statement, "4\n")
    assert not shows("Input: 1 2", "1 2\n")


def test_an_open_code_block_is_closed() -> None:
    assert close_fences("a\n```\nb") == "a\n```\nb\n```"
    assert close_fences("a\n```\nb\n```") == "a\n```\nb\n```"
