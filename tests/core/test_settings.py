"""Settings come from the environment and `.env`; production refuses placeholder secrets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from core.settings import Settings


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
