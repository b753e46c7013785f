"""Smaller variants of test inputs, for the search of an input that exposes a mutant."""

from __future__ import annotations

from core.content.shrink import candidates, padded, shrunk, size


def test_dropping_lines_keeps_a_count_on_the_first_line_in_step() -> None:
    variants = set(shrunk("2 3\n0 1\n5 6\n7 8\n"))
    assert "2 1\n0 1\n" in variants
    assert "2 2\n0 1\n7 8\n" in variants


def test_dropping_words_keeps_their_count_on_the_line_before_in_step() -> None:
    variants = set(shrunk("4\n9 8 7 6\n"))
    assert "2\n9 8\n" in variants
    assert "3\n9 7 6\n" in variants


def test_numbers_get_smaller_one_at_a_time() -> None:
    variants = set(shrunk("40 -7\n"))
    assert {"0 -7\n", "1 -7\n", "20 -7\n", "39 -7\n", "40 0\n", "40 -3\n"} <= variants


def test_lines_get_shorter() -> None:
    variants = set(shrunk("hello\n"))
    assert {"he\n", "ello\n", "hell\n"} <= variants


def test_every_variant_is_smaller_and_candidates_come_smallest_first() -> None:
    source = "3\nab cd ef\n12 34\n"
    assert all(size(v) < size(source) for v in shrunk(source))
    found = candidates([source, "7\n"], limit=10)
    assert found == sorted(found, key=size)
    assert len(found) == 10
    assert source not in found
    assert "7\n" not in found


def test_a_space_goes_around_one_line_at_a_time() -> None:
    assert set(padded("ab\ncd\n")) == {" ab\ncd\n", "ab \ncd\n", "ab\n cd\n", "ab\ncd \n"}
    assert " ab\ncd\n" in candidates(["ab\ncd\n"], limit=100)
