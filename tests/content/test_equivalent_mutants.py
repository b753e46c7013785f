"""Mutants the shipped tasks mark as equivalent still exist: a mark never outlives its mutant."""

from __future__ import annotations

from pathlib import Path

from core.content.files import read_content
from core.content.mutate import mutants

DATA = Path(__file__).parents[2] / "data"


def test_every_mutant_marked_equivalent_is_a_mutant_of_the_reference() -> None:
    stale: dict[str, list[str]] = {}
    for parsed in read_content(DATA).tasks:
        marked = {m.id for m in parsed.item.equivalent_mutants}
        if unknown := marked - {m.id for m in mutants(parsed.item.solution)}:
            stale[parsed.item.slug] = sorted(unknown)
    assert stale == {}


def test_marks_are_given_once_each() -> None:
    for parsed in read_content(DATA).tasks:
        ids = [m.id for m in parsed.item.equivalent_mutants]
        assert len(ids) == len(set(ids)), parsed.item.slug
