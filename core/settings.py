"""Application settings, read from the environment and a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me"


class Settings(BaseSettings):
    """Every setting of codestreak; names match the environment variables (case-insensitive)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "production"] = "development"
    database_url: str = "sqlite+aiosqlite:///var/codestreak.db"
    database_echo: bool = False
    secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    content_dir: Path = Path("data")
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    shutdown_grace_s: float = Field(default=30.0, ge=0)

    site_url: str = "http://127.0.0.1:8000"
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_tls: bool = False
    mail_from: str = "codestreak <noreply@localhost>"
    outbox_dir: Path = Path("var/outbox")

    discord_token: SecretStr | None = None
    discord_api_base: str = "https://discord.com/api/v10"
    discord_gateway_url: str | None = None
    discord_guild_ids: list[int] = Field(default_factory=list)
    submission_cooldown_s: float = Field(default=10.0, ge=0)
    max_code_bytes: int = Field(default=64 * 1024, ge=1024)

    sandbox_docker_url: str | None = None
    sandbox_image: str = "codestreak-sandbox:latest"
    sandbox_pool_name: str = "codestreak"
    sandbox_pool_size: int = Field(default=4, ge=1, le=256)
    sandbox_max_concurrent: int = Field(default=4, ge=1, le=256)
    sandbox_queue_size: int = Field(default=64, ge=0)
    sandbox_memory_mb: int = Field(default=64, ge=16)
    sandbox_pids: int = Field(default=64, ge=8)
    sandbox_cpus: float = Field(default=0.5, gt=0)
    sandbox_max_time_s: float = Field(default=10.0, gt=0, le=60)
    sandbox_stdout_limit_bytes: int = Field(default=1024 * 1024, ge=1024)

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.environment == "production" and (
            self.secret_key.get_secret_value() in ("", PLACEHOLDER_SECRET)
            or len(self.secret_key.get_secret_value()) < 32
        ):
            raise ValueError(
                "SECRET_KEY is a placeholder or shorter than 32 characters; production needs a "
                "real secret. Generate one with: python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))' and put it in .env as SECRET_KEY=..."
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once on first use."""
    return Settings()
