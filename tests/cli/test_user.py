"""`codestreak user curator` appoints and dismisses curators; `codestreak user curators` lists
them and the former site-wide moderators awaiting the operator's decision."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from core.db import create_engine, create_sessionmaker
from core.models import User
from tests.support.cli_runner import codestreak


async def _add_account(url: str, name: str, email: str | None, **flags: object) -> None:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            account = User(display_name=name, email=email, password_hash="x", **flags)
            session.add(account)
            await session.commit()
    finally:
        await engine.dispose()


async def _flags(url: str, email: str) -> tuple[bool, bool]:
    """(is a curator, is listed as a former moderator) of the account with `email`."""
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            user = await session.scalar(select(User).where(User.email == email))
            assert user is not None
            return user.is_curator, user.former_moderator
    finally:
        await engine.dispose()


def _migrated(tmp_path: Path) -> tuple[str, dict[str, str]]:
    url = f"sqlite+aiosqlite:///{tmp_path}/site.db"
    env = {"DATABASE_URL": url, "HOME_GUILD_IDS": ""}
    assert codestreak("db", "upgrade", cwd=tmp_path, env=env).returncode == 0
    return url, env


def test_appoint_list_then_dismiss_a_curator_and_refuse_an_unknown_email(tmp_path: Path) -> None:
    url, env = _migrated(tmp_path)
    asyncio.run(_add_account(url, "Ada", "ada@example.com"))

    nobody = codestreak("user", "curators", cwd=tmp_path, env=env)
    assert nobody.returncode == 0, nobody.stderr
    assert "No curator is appointed" in nobody.stdout

    granted = codestreak("user", "curator", " Ada@Example.com ", cwd=tmp_path, env=env)
    assert granted.returncode == 0, granted.stderr
    assert "Ada <ada@example.com> is now a curator" in granted.stdout
    assert asyncio.run(_flags(url, "ada@example.com")) == (True, False)
    listed = codestreak("user", "curators", cwd=tmp_path, env={**env, "HOME_GUILD_IDS": "77,88"})
    heading = "Curators (they change the shared catalogue on the site):\n"
    assert heading + "  Ada <ada@example.com>\n" in listed.stdout
    assert "home servers (HOME_GUILD_IDS: 77, 88) curate too" in listed.stdout
    assert "Former site-wide moderators" not in listed.stdout

    revoked = codestreak("user", "curator", "ada@example.com", "--revoke", cwd=tmp_path, env=env)
    assert revoked.returncode == 0, revoked.stderr
    assert "Ada <ada@example.com> is not a curator" in revoked.stdout
    assert asyncio.run(_flags(url, "ada@example.com")) == (False, False)
    assert "No curator is appointed" in codestreak("user", "curators", cwd=tmp_path, env=env).stdout

    unknown = codestreak("user", "curator", "nobody@example.com", cwd=tmp_path, env=env)
    assert unknown.returncode == 1
    assert "There is no account with the email address nobody@example.com." in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_former_moderators_are_listed_until_confirmed_or_dismissed(tmp_path: Path) -> None:
    url, env = _migrated(tmp_path)
    asyncio.run(_add_account(url, "Grace", "grace@example.com", former_moderator=True))
    asyncio.run(_add_account(url, "Linus", "linus@example.com", former_moderator=True))
    asyncio.run(_add_account(url, "mod_on_discord", None, former_moderator=True, discord_id=42))

    listed = codestreak("user", "curators", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    assert "No curator is appointed" in listed.stdout
    former = listed.stdout.partition("Former site-wide moderators, not curators until")[2]
    assert "  Grace <grace@example.com>\n" in former
    assert "    confirm: codestreak user curator grace@example.com\n" in former
    assert "    dismiss: codestreak user curator grace@example.com --revoke\n" in former
    assert "  Linus <linus@example.com>\n" in former
    assert "mod_on_discord (Discord id 42, no site account yet)" in former
    assert "    confirm: codestreak user curator 42\n" in former
    assert asyncio.run(_flags(url, "grace@example.com")) == (False, True)

    confirmed = codestreak("user", "curator", "grace@example.com", cwd=tmp_path, env=env)
    assert confirmed.returncode == 0, confirmed.stderr
    dismissed = codestreak(
        "user", "curator", "linus@example.com", "--revoke", cwd=tmp_path, env=env
    )
    assert dismissed.returncode == 0, dismissed.stderr
    assert asyncio.run(_flags(url, "grace@example.com")) == (True, False)
    assert asyncio.run(_flags(url, "linus@example.com")) == (False, False)
    on_discord = codestreak("user", "curator", "42", "--revoke", cwd=tmp_path, env=env)
    assert on_discord.returncode == 0, on_discord.stderr
    assert "mod_on_discord (Discord id 42, no site account yet) is not a curator" in (
        on_discord.stdout
    )

    after = codestreak("user", "curators", cwd=tmp_path, env=env).stdout
    assert "  Grace <grace@example.com>\n" in after.partition("Former")[0]
    assert "linus@example.com" not in after
    assert "Discord id 42" not in after
    assert "grace@example.com --revoke" not in after


def test_the_old_moderator_command_is_gone(tmp_path: Path) -> None:
    _, env = _migrated(tmp_path)
    old = codestreak("user", "moderator", "ada@example.com", cwd=tmp_path, env=env)
    assert old.returncode == 2
    assert "No such command 'moderator'" in old.stderr


def test_an_unmigrated_database_gets_a_clear_message(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/empty.db"}
    for args in (("curator", "ada@example.com"), ("curators",)):
        result = codestreak("user", *args, cwd=tmp_path, env=env)
        assert result.returncode == 1
        assert "codestreak db upgrade" in result.stderr
        assert "Traceback" not in result.stderr
