"""The password strength rule and Argon2 hashing."""

from __future__ import annotations

import pytest

from core.accounts.passwords import hash_password, password_problem, verify_password


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1!", "at least 10"),
        ("aaaaabbbbb", "different characters"),
        ("password123", "too common"),
        ("x" * 129, "at most 128"),
        ("ada.lovelace-rocks", "email or display name"),
        ("mynameisGrace!!", "email or display name"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password: str, reason: str) -> None:
    problem = password_problem(password, email="ada.lovelace@example.com", display_name="Grace")
    assert problem is not None
    assert reason in problem


def test_a_reasonable_password_is_accepted() -> None:
    assert password_problem("correct horse battery", email="a@b.co", display_name="Ada") is None


async def test_hashes_are_argon2_salted_and_verify() -> None:
    first = await hash_password("correct horse battery")
    second = await hash_password("correct horse battery")
    assert first.startswith("$argon2id$")
    assert first != second
    assert await verify_password("correct horse battery", first)
    assert not await verify_password("correct horse batterY", first)


async def test_no_hash_never_verifies() -> None:
    assert not await verify_password("anything at all", None)
