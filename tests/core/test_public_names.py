"""Names the site shows everyone: the display name of a public profile, else a pseudonym."""

from __future__ import annotations

from core.public_names import looks_like_pseudonym, pseudonym, public_name


def test_a_private_learner_gets_a_stable_pseudonym() -> None:
    assert pseudonym(1234) == "Learner 1234"
    assert public_name(1234, "ada_on_discord", profile_public=False) == "Learner 1234"
    assert public_name(1234, "Ada", profile_public=True) == "Ada"


def test_names_that_read_like_pseudonyms_are_recognised() -> None:
    assert all(map(looks_like_pseudonym, ["Learner 7", "learner  12", " LEARNER #3 "]))
    assert not any(map(looks_like_pseudonym, ["Learner", "Learner Ada", "Learner7x", "Ada 7"]))
