"""Signed single-use tokens: one salt per purpose, expiry, tampering and a single use."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts.tokens import (
    LIFETIMES,
    Purpose,
    TokenProblem,
    TokenRefused,
    ensure_unspent,
    issue_token,
    read_token,
    spend_token,
)
from tests.support.clocks import advance_token_clock

SECRET = "a-secret-for-token-tests"


def test_a_token_reads_back_its_payload() -> None:
    token = issue_token(SECRET, Purpose.PASSWORD_RESET, {"uid": 7})
    payload = read_token(SECRET, Purpose.PASSWORD_RESET, token)
    assert payload["uid"] == 7
    assert payload["jti"]


def test_two_tokens_have_different_ids() -> None:
    first = read_token(SECRET, Purpose.REGISTER, issue_token(SECRET, Purpose.REGISTER, {}))
    second = read_token(SECRET, Purpose.REGISTER, issue_token(SECRET, Purpose.REGISTER, {}))
    assert first["jti"] != second["jti"]


def test_a_token_for_one_purpose_is_refused_for_another() -> None:
    token = issue_token(SECRET, Purpose.DISCORD_LINK, {"did": "1"})
    with pytest.raises(TokenRefused) as refused:
        read_token(SECRET, Purpose.PASSWORD_RESET, token)
    assert refused.value.problem is TokenProblem.INVALID


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_garbage_is_invalid(token: str) -> None:
    with pytest.raises(TokenRefused) as refused:
        read_token(SECRET, Purpose.PASSWORD_RESET, token)
    assert refused.value.problem is TokenProblem.INVALID


def test_a_tampered_token_is_invalid() -> None:
    token = issue_token(SECRET, Purpose.PASSWORD_RESET, {"uid": 1})
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(TokenRefused):
        read_token(SECRET, Purpose.PASSWORD_RESET, forged)
    with pytest.raises(TokenRefused):
        read_token("another-secret", Purpose.PASSWORD_RESET, token)


def test_a_token_expires_after_its_lifetime(monkeypatch: pytest.MonkeyPatch) -> None:
    token = issue_token(SECRET, Purpose.DISCORD_LINK, {"did": "1"})
    advance_token_clock(monkeypatch, LIFETIMES[Purpose.DISCORD_LINK] + 2)
    with pytest.raises(TokenRefused) as refused:
        read_token(SECRET, Purpose.DISCORD_LINK, token)
    assert refused.value.problem is TokenProblem.EXPIRED


def test_lifetimes_are_an_hour_for_reset_and_fifteen_minutes_for_discord() -> None:
    assert LIFETIMES[Purpose.PASSWORD_RESET] == 3600
    assert LIFETIMES[Purpose.DISCORD_LINK] == 15 * 60


async def test_a_token_is_spent_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    payload = read_token(SECRET, Purpose.REGISTER, issue_token(SECRET, Purpose.REGISTER, {}))
    async with sessions() as session:
        await ensure_unspent(session, Purpose.REGISTER, payload)
        await spend_token(session, Purpose.REGISTER, payload)
        await session.commit()
    async with sessions() as session:
        with pytest.raises(TokenRefused) as looked:
            await ensure_unspent(session, Purpose.REGISTER, payload)
        assert looked.value.problem is TokenProblem.USED
    async with sessions() as session:
        with pytest.raises(TokenRefused) as spent:
            await spend_token(session, Purpose.REGISTER, payload)
        assert spent.value.problem is TokenProblem.USED


async def test_a_rolled_back_use_leaves_the_token_unspent(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    payload = read_token(SECRET, Purpose.REGISTER, issue_token(SECRET, Purpose.REGISTER, {}))
    async with sessions() as session:
        await spend_token(session, Purpose.REGISTER, payload)
        await session.rollback()
    async with sessions() as session:
        await ensure_unspent(session, Purpose.REGISTER, payload)
