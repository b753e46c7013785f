"""`codestreak user moderator` grants and revokes the site's moderator rights."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from core.db import create_engine, create_sessionmaker
from core.models import User
from tests.support.cli_runner import codestreak


async def _add_account(url: str, email: str) -> None:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            session.add(User(display_name="Ada", email=email, password_hash="x"))
            await session.commit()
    finally:
        await engine.dispose()


async def _is_moderator(url: str, email: str) -> bool:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            user = await session.scalar(select(User).where(User.email == email))
            assert user is not None
            return user.is_curator
    finally:
        await engine.dispose()


def test_grant_then_revoke_and_refuse_an_unknown_email(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/site.db"
    env = {"DATABASE_URL": url}
    assert codestreak("db", "upgrade", cwd=tmp_path, env=env).returncode == 0
    asyncio.run(_add_account(url, "ada@example.com"))

    granted = codestreak("user", "moderator", " Ada@Example.com ", cwd=tmp_path, env=env)
    assert granted.returncode == 0, granted.stderr
    assert "Ada (Ada@Example.com) is now a moderator" in granted.stdout
    assert asyncio.run(_is_moderator(url, "ada@example.com"))

    revoked = codestreak("user", "moderator", "ada@example.com", "--revoke", cwd=tmp_path, env=env)
    assert revoked.returncode == 0, revoked.stderr
    assert "is no longer a moderator" in revoked.stdout
    assert not asyncio.run(_is_moderator(url, "ada@example.com"))

    unknown = codestreak("user", "moderator", "nobody@example.com", cwd=tmp_path, env=env)
    assert unknown.returncode == 1
    assert "There is no site account with the email address nobody@example.com." in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_an_unmigrated_database_gets_a_clear_message(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/empty.db"}
    result = codestreak("user", "moderator", "ada@example.com", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "codestreak db upgrade" in result.stderr
    assert "Traceback" not in result.stderr
