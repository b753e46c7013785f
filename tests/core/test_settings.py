"""Settings come from the environment and `.env`; production refuses placeholder secrets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from core.grading import sandbox_config
from core.settings import PLACEHOLDER_SECRET, Settings
from sandbox import SandboxConfig


def test_defaults_use_embedded_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL")
    assert Settings().database_url.startswith("sqlite+aiosqlite:///")


def test_env_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL")
    (tmp_path / ".env").write_text("DATABASE_URL=mysql+aiomysql://u:p@db/codestreak\n")
    assert Settings().database_url == "mysql+aiomysql://u:p@db/codestreak"


def test_environment_beats_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("LOG_LEVEL=DEBUG\n")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    assert Settings().log_level == "WARNING"


def test_production_refuses_placeholder_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="SECRET_KEY is a placeholder"):
        Settings()


def test_production_accepts_real_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    assert Settings().secret_key.get_secret_value() == "x" * 48


def test_development_allows_placeholder() -> None:
    assert Settings().environment == "development"


def test_without_a_key_one_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = Settings().secret_key.get_secret_value()
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(first) >= 32
    assert first != PLACEHOLDER_SECRET
    assert Settings().secret_key.get_secret_value() == first


def test_a_configured_key_writes_no_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRET_KEY", "y" * 48)
    assert Settings().secret_key.get_secret_value() == "y" * 48
    assert not (tmp_path / "var" / "secret_key").exists()


def test_a_damaged_key_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "secret_key").write_text("short\n")
    with pytest.raises(ValidationError, match="delete it to generate a new one"):
        Settings()


def test_production_does_not_generate_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", "")
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings()
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize("key", [PLACEHOLDER_SECRET, "short-but-real"])
def test_a_weak_key_is_named(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", key)
    assert Settings().weak_secret_key


def test_a_generated_or_long_key_is_not_weak(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not Settings().weak_secret_key
    monkeypatch.setenv("SECRET_KEY", "z" * 40)
    assert not Settings().weak_secret_key


@pytest.mark.parametrize("value", ["", "127.0.0.1", "10.0.0.0/8, ::1", "*"])
def test_trusted_proxies_accept_addresses_and_networks(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", value)
    assert Settings().forwarded_allow_ips == value


def test_trusted_proxies_refuse_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1,proxy.example")
    with pytest.raises(ValidationError, match=r"proxy\.example"):
        Settings()


def test_untouched_sandbox_settings_are_the_sandboxs_own_defaults() -> None:
    assert sandbox_config(Settings(_env_file=None)) == SandboxConfig()


def test_sandbox_settings_are_bounded_as_the_sandbox_bounds_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SANDBOX_QUEUE_SIZE", "-1")
    with pytest.raises(ValidationError, match="sandbox_queue_size"):
        Settings(_env_file=None)


def test_signing_in_with_discord_is_off_until_all_three_settings_are_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert not Settings().discord_sign_in
    monkeypatch.setenv("DISCORD_CLIENT_ID", "1234")
    monkeypatch.setenv("DISCORD_CLIENT_SECRET", "shh")
    monkeypatch.setenv("DISCORD_REDIRECT_URL", "https://codestreak.example/auth/discord/callback")
    on = Settings()
    assert on.discord_sign_in
    assert on.discord_oauth_url == "https://discord.com"


def test_a_partial_discord_sign_in_setup_names_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DISCORD_CLIENT_ID", "1234")
    with pytest.raises(
        ValidationError, match="missing: DISCORD_CLIENT_SECRET, DISCORD_REDIRECT_URL"
    ):
        Settings()


def test_the_discord_callback_must_be_a_full_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_CLIENT_ID", "1234")
    monkeypatch.setenv("DISCORD_CLIENT_SECRET", "shh")
    monkeypatch.setenv("DISCORD_REDIRECT_URL", "/auth/discord/callback")
    with pytest.raises(ValidationError, match="DISCORD_REDIRECT_URL must be a full"):
        Settings()
